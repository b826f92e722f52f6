using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Faults;

/// <summary>A role that starts before its Postgres is reachable waits for it; the migrate role fails at once.</summary>
[Collection(FaultCollection.Name)]
public sealed class DatabaseAtStartupTests
{
    private static Dictionary<string, string?> Environment(string databaseUrl) => new()
    {
        [StorageSettings.Keys.DatabaseUrl] = databaseUrl,
        [QueueSettings.Keys.RedisUrl] = TestServers.RedisUrl,
        [QueueSettings.Keys.RedisKeyPrefix] = TestServers.NewRedisPrefix(),
    };

    [Fact]
    public async Task Worker_StartedBeforePostgres_WaitsForIt_ThenRuns()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await pg.StopServerAsync();
        await using var worker = HostProcess.Start(["worker"], Environment(pg.Url));

        await worker.WaitForOutputAsync("Postgres cannot be reached", TimeSpan.FromSeconds(30));
        await pg.StartServerAsync();
        await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Worker_WaitingForPostgres_ExitsZeroOnSigterm_WithoutStarting()
    {
        await using var worker = HostProcess.Start(["worker"], Environment($"postgresql://postgres@127.0.0.1:{HostProcess.FreePort()}/postgres"));
        await worker.WaitForOutputAsync("Postgres cannot be reached", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain("Application started", worker.Output);
    }

    [Fact]
    public async Task Migrate_WithPostgresUnreachable_Exits1WithOneLineAndNoSecret_WithoutWaiting()
    {
        await using var migrate = HostProcess.Start(["migrate"], Environment($"postgresql://postgres:unreachable-pw-5c1e@127.0.0.1:{HostProcess.FreePort()}/postgres"));
        Assert.Equal(1, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("Postgres cannot be reached", migrate.Output);
        Assert.Single(migrate.Output.Split('\n'), l => l.Contains("migrating the database failed", StringComparison.Ordinal));
        Assert.DoesNotContain("unreachable-pw-5c1e", migrate.Output);
        Assert.DoesNotContain("   at ", migrate.Output); // no stack trace: not an unhandled exception
    }

    [Fact]
    public async Task Worker_WithBadDatabaseCredentials_Exits1WithOneLine_InsteadOfCrashing()
    {
        var url = new UriBuilder(TestServers.AdminDatabaseUrl) { UserName = "postgres", Password = "wrong-pw-9d2b" }.Uri.ToString();
        await using var worker = HostProcess.Start(["worker"], Environment(url));
        Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("28P01", worker.Output);
        Assert.DoesNotContain("wrong-pw-9d2b", worker.Output);
    }
}
