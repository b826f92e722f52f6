using System.Diagnostics;
using System.Net;
using MicAi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MicAi.Tests.Faults;

[Collection(FaultCollection.Name)]
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RedisKilledAndRestartedEmpty_MidRun_WebhooksStill200_AndEachMessageIsAnsweredExactlyOnce()
    {
        await using var redis = await PrivateRedis.StartAsync();
        await using var rig = await FaultRig.StartAsync(output, redisUrl: redis.Url);
        await rig.StartApiAsync();
        await rig.StartRunningAsync("worker");
        await rig.StartRunningAsync("scheduler");
        var messages = FaultRig.Messages(150 * FaultRig.Scale, "1562");
        var slowest = TimeSpan.Zero;

        var posting = rig.PostAllAsync(messages.Select(m => m.Body).ToList(), between: async _ => await Task.Delay(40));
        await Task.Delay(1500);
        await redis.KillServerAsync(); // the stream, the delayed set and the lease vanish
        var clock = Stopwatch.StartNew();
        var during = await rig.PostAllAsync(FaultRig.Messages(4, "1563").Select(m => m.Body).ToList());
        slowest = clock.Elapsed;
        await Task.Delay(2000);
        await redis.StartServerAsync();
        var outage = clock.Elapsed;

        Assert.All(during, s => Assert.Equal(HttpStatusCode.OK, s)); // stored: the webhook still answers 200
        Assert.True(slowest < TimeSpan.FromSeconds(6), $"webhooks took {slowest} while Redis was down");
        Assert.All(await posting, s => Assert.Equal(HttpStatusCode.OK, s));
        await rig.WaitUntilAsync(rig.SettledAsync, TimeSpan.FromSeconds(120), "every message to be handled");
        var recovery = clock.Elapsed - outage;
        await Task.Delay(1000);

        var expected = messages.Select(m => m.From).Concat(Enumerable.Range(0, 4).Select(i => $"1563{i:D6}"));
        var (lost, duplicated) = rig.Tally(expected, $"Redis restart ({outage.TotalSeconds:F1}s down, webhooks during it took at most {slowest.TotalSeconds:F1}s)", recovery);
        Assert.Equal((0, 0), (lost, duplicated));
        Assert.Equal(0L, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status <> 'sent'"));
    }
}
