using MicAi.Bench;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Bench;

/// <summary>
/// The bench's correctness checks on a tiny run: the harness drives the published roles (api, worker, scheduler)
/// against the test servers and must account for every reply. No timing is asserted: this machine is shared.
/// It runs alone (four processes under load would slow the start-up of other classes' processes).
/// </summary>
[Collection(BenchCollection.Name)]
public sealed class EndToEndPartTests
{
    /// <summary>On bin/bench's default (prod) rig: the Host's queries through PgBouncer, migrations and the bench's checks direct.</summary>
    [Fact]
    public async Task EndToEnd_ThroughPgBouncer_AnswersEachOfFiftyWebhooksExactlyOnce_WhenSomeAreRedelivered()
    {
        var options = BenchOptions.Parse(["e2e", "--messages", "50", "--e2e-rate", "100", "--duplicates", "0.2", "--warmup", "0", "--drain-seconds", "30"])
            with
            {
                DatabaseUrl = TestServers.AdminDatabaseUrl, PooledDatabaseUrl = TestServers.PoolerUrl, Rig = "prod",
                RedisUrl = TestServers.RedisUrl, HostDir = HostProcess.HostDirectory,
            };
        options.Validate();

        var report = await BenchRun.RunAsync(options);

        var counts = Assert.Single(report.Rows, r => r.Figure == "webhooks expecting a reply / replied").Measured.Split(" / ");
        Assert.True(int.Parse(counts[0]) is > 0 and < 50, $"20% redeliveries should leave fewer than 50 unique messages, got {counts[0]}");
        Assert.Equal(counts[0], counts[1]);
        Assert.Equal(0, report.Checks["e2e: lost replies (all phases)"]);
        Assert.Equal(0, report.Checks["e2e: duplicated replies (all phases)"]);
        Assert.Equal(0, report.Checks["e2e: replies to messages never sent"]);
        Assert.False(report.CorrectnessFailed);
        Assert.Contains("| Rig | prod: Postgres connections TLS", report.Markdown());
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchCollection
{
    public const string Name = "Bench (runs alone)";
}
