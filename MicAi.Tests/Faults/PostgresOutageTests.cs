using System.Diagnostics;
using System.Net;
using MicAi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MicAi.Tests.Faults;

[Collection(FaultCollection.Name)]
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PostgresDownFiveSeconds_Webhooks503WithNothingStored_AndEachMessageIsAnsweredExactlyOnce_AfterMetaRedelivers()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(output, databaseUrl: pg.Url);
        await rig.StartApiAsync();
        await rig.StartRunningAsync("worker");
        await rig.StartRunningAsync("scheduler");
        var messages = FaultRig.Messages(150 * FaultRig.Scale, "1564");
        var bodies = messages.Select(m => m.Body).ToList();

        var posting = rig.PostAllAsync(bodies, between: async _ => await Task.Delay(60));
        await Task.Delay(1500);
        await pg.StopServerAsync();
        var clock = Stopwatch.StartNew();
        await Task.Delay(5000);
        await pg.StartServerAsync();
        var outage = clock.Elapsed;
        var statuses = await posting;

        var refused = Enumerable.Range(0, bodies.Count).Where(i => statuses[i] != HttpStatusCode.OK).ToList();
        Assert.All(refused, i => Assert.Equal(HttpStatusCode.ServiceUnavailable, statuses[i]));
        Assert.NotEmpty(refused);
        // Nothing half-written: a 503'd message is not stored (Meta redelivers it and it is answered then).
        await rig.WaitUntilAsync(rig.SettledAsync, TimeSpan.FromSeconds(120), "every accepted message to be handled");
        var recovery = clock.Elapsed - outage;
        foreach (var i in refused)
            Assert.Equal(0L, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE wamid = $1", messages[i].Wamid));

        var redelivered = await rig.PostAllAsync(refused.Select(i => bodies[i]).ToList()); // Meta retries what got 503
        Assert.All(redelivered, s => Assert.Equal(HttpStatusCode.OK, s));
        await rig.WaitUntilAsync(rig.SettledAsync, TimeSpan.FromSeconds(60), "the redelivered messages to be handled");
        await rig.DeliverStatusWebhooksAsync(); // sends whose result could not be recorded are settled by Meta's statuses
        await Task.Delay(500);

        output.WriteLine($"Postgres down {outage.TotalSeconds:F1}s: {refused.Count} webhook(s) got 503, {bodies.Count - refused.Count} got 200");
        var (lost, duplicated) = rig.Tally(messages.Select(m => m.From), "Postgres outage", recovery);
        Assert.Equal((0, 0), (lost, duplicated));
        Assert.Equal(0L, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status <> 'sent'"));
        Assert.Equal(0L, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM dead_jobs"));
    }
}
