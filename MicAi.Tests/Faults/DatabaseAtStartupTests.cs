using System.Net;
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

    [Theory]
    [InlineData("worker")]
    [InlineData("api")] // listens while it checks the schema, and still exits 1 when the check fails
    public async Task Role_WithBadDatabaseCredentials_Exits1WithOneLine_InsteadOfCrashing(string role)
    {
        var url = new UriBuilder(TestServers.AdminDatabaseUrl) { UserName = "postgres", Password = "wrong-pw-9d2b" }.Uri.ToString();
        await using var host = HostProcess.Start([role], Environment(url), role == "api" ? HostProcess.FreePort() : null);
        Assert.Equal(1, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("28P01", host.Output);
        Assert.Single(host.Output.Split('\n'), l => l.Contains("migrating the database failed", StringComparison.Ordinal));
        Assert.DoesNotContain("wrong-pw-9d2b", host.Output);
    }

    [Fact]
    public async Task Api_StartedBeforePostgres_AnswersHealth_Refuses503WithRetryAfterMeanwhile_ThenServesOnceMigrated()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await pg.StopServerAsync();
        await using var api = HostProcess.Start(["api"], Environment(pg.Url), HostProcess.FreePort());
        await api.WaitForOutputAsync("Postgres cannot be reached", TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode); // alive, answered at once
        using var held = await http.GetAsync("/ready"); // held at the gate, then refused
        Assert.Equal(HttpStatusCode.ServiceUnavailable, held.StatusCode);
        Assert.Equal("application/problem+json", held.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(held.Headers.RetryAfter);

        await pg.StartServerAsync();
        var ready = await PollAsync(() => http.GetAsync("/ready"), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal(0, await api.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<HttpStatusCode> PollAsync(Func<Task<HttpResponseMessage>> get, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await get();
            if (response.IsSuccessStatusCode || DateTime.UtcNow > until) return response.StatusCode;
            await Task.Delay(200);
        }
    }
}
