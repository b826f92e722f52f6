using System.Net;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using MicAi.Tests.Faults;
using MicAi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MicAi.Tests.EndToEnd;

/// <summary>
/// The published Host as api, worker and scheduler processes whose queries all go through PgBouncer in transaction
/// mode (TLS, SCRAM), with migrations on the server itself (MICAI_DATABASE_DIRECT_URL), as on a managed Postgres with
/// a pooler in front. The burst is the one that broke auto-prepared statements behind PgBouncer 1.18 (hundreds of
/// "prepared statement "_auto0" already exists" errors): now each message is answered once and Postgres reports
/// nothing. Runs with the fault tests, one at a time: four processes and a burst.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class PoolerEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThroughPgBouncer_FourHundredWebhooksFromFourPosters_AreEachAnsweredOnce_AndASchedulerFires_WithNoPostgresError()
    {
        await using var rig = await FaultRig.StartAsync(output, throughPooler: true);
        rig.Env[OutboundSettings.Keys.RatePerSecond] = "1000"; // the stub is the only receiver; no need for the entry tier
        Assert.Contains($":{new Uri(TestServers.PoolerUrl).Port}/", rig.Env[StorageSettings.Keys.DatabaseUrl]);
        await rig.StartApiAsync();
        await rig.StartRunningAsync("worker");
        await rig.StartRunningAsync("scheduler");
        var messages = FaultRig.Messages(400, "1577");

        var statuses = await rig.PostAllAsync(messages.Select(m => m.Body).ToList(), parallel: 4);
        await rig.Db.ExecuteAsync("INSERT INTO contacts (wa_id, last_inbound_at) VALUES ('15779999000', now())");
        await rig.Db.ExecuteAsync("INSERT INTO schedules (wa_id, message_text, interval_minutes, next_run_at) VALUES ('15779999000', 'Pooled digest', 10080, now())");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        await rig.WaitUntilAsync(async () => await rig.SettledAsync() && rig.Graph.Messages.Any(m => m.To == "15779999000"),
            TimeSpan.FromSeconds(90), "every message answered and the schedule fired");
        await Task.Delay(500); // let any duplicate show itself
        Assert.Equal((0, 0), rig.Tally(messages.Select(m => m.From), "through PgBouncer"));
        Assert.Equal("Pooled digest", Assert.Single(rig.Graph.Messages, m => m.To == "15779999000").TextBody);
        Assert.Equal(400L, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent' AND idempotency_key LIKE 'reply:%'"));
        foreach (var process in rig.Processes)
            Assert.False(LogScan.PostgresError().IsMatch(process.Output), $"{process.Role} logged a Postgres error:\n{process.Output}");
    }
}
