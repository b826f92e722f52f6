using System.Net;
using MicAi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MicAi.Tests.Faults;

[Collection(FaultCollection.Name)]
public sealed class DuplicateDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryWebhookDeliveredThreeTimes_ConcurrentlyAndShuffled_IsAnsweredExactlyOnce()
    {
        await using var rig = await FaultRig.StartAsync(output);
        await rig.StartApiAsync();
        await rig.StartRunningAsync("worker");
        await rig.StartRunningAsync("worker");
        var messages = FaultRig.Messages(100 * FaultRig.Scale, "1565");
        var deliveries = messages.SelectMany(m => Enumerable.Repeat(m.Body, 3)).ToArray();
        Random.Shared.Shuffle(deliveries);

        Assert.All(await rig.PostAllAsync(deliveries, parallel: 12), s => Assert.Equal(HttpStatusCode.OK, s));
        await rig.WaitUntilAsync(async () => rig.Graph.Messages.Count() >= messages.Count && await rig.SettledAsync(),
            TimeSpan.FromSeconds(90), "every message to be answered");
        await Task.Delay(1000); // let any duplicate show itself

        Assert.Equal((0, 0), rig.Tally(messages.Select(m => m.From), "3x shuffled concurrent delivery"));
        Assert.Equal(messages.Count, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages"));
        Assert.Equal(messages.Count, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent'"));
    }
}
