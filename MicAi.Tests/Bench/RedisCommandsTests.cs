using MicAi.Bench;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Bench;

public sealed class RedisCommandsTests
{
    [Fact]
    public void Note_CountsEachCommandsCallsPerReplyBetweenTheTwoReadings_MostCalledFirst()
    {
        var report = new Report(BenchOptions.Parse(["e2e"]));
        var before = new Dictionary<string, (long, double)> { ["xadd"] = (100, 1_000), ["evalsha"] = (50, 2_000), ["get"] = (7, 10) };
        var after = new Dictionary<string, (long, double)>
        {
            ["xadd"] = (110, 1_100), ["evalsha"] = (70, 2_400), ["get"] = (7, 10), ["publish"] = (10, 50),
        };

        RedisCommands.Add(report, "e2e", " at 200/s", before, after, units: 10, "reply");

        // 10 xadd + 20 evalsha + 10 publish over 10 replies; get was not called in between; 100 + 400 + 50 µs.
        Assert.Contains("e2e redis at 200/s: 4.0 commands/reply (evalsha 2.00, xadd 1.00, publish 1.00); 55 µs/reply executing", report.Markdown());
    }

    [Fact]
    public async Task Read_SeesTheCommandsARealRedisRan_AndLeavesOutTheReadsOwnInfoCalls()
    {
        var before = await RedisCommands.ReadAsync(TestServers.RedisUrl);
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(MicAi.Core.Configuration.ConnectionStrings.ToRedis(TestServers.RedisUrl)))
            await redis.GetDatabase().StringGetAsync("bench:redis-commands:" + Guid.NewGuid().ToString("N")); // GET
        var after = await RedisCommands.ReadAsync(TestServers.RedisUrl);

        Assert.True(after["get"].Calls > before.GetValueOrDefault("get").Calls);
        Assert.DoesNotContain("info", after.Keys);
    }
}
