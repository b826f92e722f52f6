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
    public async Task Migrate_WithPostgresUnreachable_ExitsNonZeroWithoutWaiting()
    {
        await using var migrate = HostProcess.Start(["migrate"], Environment($"postgresql://postgres@127.0.0.1:{HostProcess.FreePort()}/postgres"));
        Assert.NotEqual(0, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("Postgres cannot be reached", migrate.Output);
    }
}
