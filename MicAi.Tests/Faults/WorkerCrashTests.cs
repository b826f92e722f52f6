using System.Diagnostics;
using System.Net;
using MicAi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MicAi.Tests.Faults;

[Collection(FaultCollection.Name)]
public sealed class WorkerCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KilledWorker_LosesNoMessage_AndEachIsAnsweredOnce_AfterAnotherWorkerStarts()
    {
        await using var rig = await FaultRig.StartAsync(output, graphLatency: TimeSpan.FromMilliseconds(50));
        await rig.StartApiAsync();
        var doomed = await rig.StartRunningAsync("worker");
        await rig.StartRunningAsync("scheduler");
        var messages = FaultRig.Messages(150 * FaultRig.Scale, "1561");

        var posting = rig.PostAllAsync(messages.Select(m => m.Body).ToList());
        await rig.WaitUntilAsync(() => Task.FromResult(rig.Graph.Messages.Count() >= messages.Count / 3), TimeSpan.FromSeconds(60), "the first replies");
        doomed.Kill(); // SIGKILL mid-run: jobs it held stay pending, sends it had in flight are cut off
        var clock = Stopwatch.StartNew();
        await rig.StartRunningAsync("worker");
        Assert.All(await posting, s => Assert.Equal(HttpStatusCode.OK, s));
        await rig.WaitUntilAsync(rig.SettledAsync, TimeSpan.FromSeconds(120), "every message to be handled");
        var recovery = clock.Elapsed;

        // Sends cut off by the kill are 'unknown', never re-sent; Meta's status webhooks settle the ones it received.
        var unknown = await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'unknown'");
        output.WriteLine($"sends whose worker died during the Graph call (marked unknown): {unknown}");
        await rig.DeliverStatusWebhooksAsync();
        await Task.Delay(500); // let any duplicate show itself
        var (lost, duplicated) = rig.Tally(messages.Select(m => m.From), "kill -9 worker", recovery);
        var neverReachedMeta = await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'unknown'");
        output.WriteLine($"sends cut off before reaching Meta (held as unknown): {neverReachedMeta}");

        Assert.Equal(0, duplicated);
        Assert.Equal(neverReachedMeta, lost); // the only unanswered messages are the ones held as 'unknown' for an operator
        Assert.InRange(neverReachedMeta, 0, 8); // at most one per in-flight slot of the killed worker
        Assert.Equal(messages.Count, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE status = 'processed'"));
        Assert.Equal(messages.Count - neverReachedMeta, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent'"));
    }
}
