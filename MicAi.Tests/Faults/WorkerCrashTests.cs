using System.Diagnostics;
using System.Net;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Host;
using MicAi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MicAi.Tests.Faults;

[Collection(FaultCollection.Name)]
public sealed class WorkerCrashTests(ITestOutputHelper output)
{
    /// <summary>
    /// The contract for a crash (docs/reliability.md): a send whose worker died during the Graph call has an unknown
    /// outcome, is held 'unknown' and is never re-sent; Meta's status webhook settles it if Meta got it. So no message
    /// is answered twice, and the messages left unanswered are exactly those whose reply is held 'unknown' (claimed,
    /// never on the wire): none is lost without a trace. At most one send per job the killed worker had in flight
    /// (its fetch loops × MICAI_WORKER_CONCURRENCY) is cut off.
    /// </summary>
    [Fact]
    public async Task KilledWorker_NeverAnswersTwice_AndEveryUnansweredMessageIsHeldUnknown_NotResent()
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

        var cutOff = await UnknownRowsAsync(rig);
        output.WriteLine($"sends whose worker died during the Graph call (marked unknown): {cutOff.Count}");
        var inFlightSlots = WorkerPass.BatchesInFlight * int.Parse(rig.Env[WorkerSettings.Keys.Concurrency]!);
        Assert.InRange(cutOff.Count, 0, inFlightSlots); // one send per job the killed worker had in flight
        await rig.DeliverStatusWebhooksAsync(); // Meta's part: a status for every send it received
        await Task.Delay(500); // let any duplicate show itself

        var sendsPerKey = rig.Graph.Messages.GroupBy(m => m.Body["biz_opaque_callback_data"]?.GetValue<string>() ?? "").ToDictionary(g => g.Key, g => g.Count());
        Assert.All(cutOff, row => Assert.True(sendsPerKey.GetValueOrDefault(row.Key) <= 1, $"{row.Key} was re-sent"));
        var heldUnknown = await UnknownRowsAsync(rig);
        Assert.Equal(cutOff.Where(row => !sendsPerKey.ContainsKey(row.Key)).Order(), heldUnknown.Order()); // the others were settled
        var (_, duplicated) = rig.Tally(messages.Select(m => m.From), "kill -9 worker", recovery);
        output.WriteLine($"sends cut off before reaching Meta (held as unknown): {heldUnknown.Count}");
        Assert.Equal(0, duplicated);
        var replied = rig.RepliesPerRecipient();
        Assert.Equal(messages.Select(m => m.From).Where(f => !replied.ContainsKey(f)).Order(), heldUnknown.Select(row => row.WaId).Order());
        Assert.Equal(messages.Count, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE status = 'processed'"));
        Assert.Equal(messages.Count - heldUnknown.Count, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent'"));
    }

    private static async Task<List<(string Key, string WaId)>> UnknownRowsAsync(FaultRig rig)
    {
        var rows = new List<(string, string)>();
        await using var cmd = rig.Db.CreateCommand("SELECT idempotency_key, wa_id FROM outbound_messages WHERE status = 'unknown'");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }
}
