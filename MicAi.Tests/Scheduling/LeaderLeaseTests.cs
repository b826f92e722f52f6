using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Tests.Infrastructure;
using StackExchange.Redis;

namespace MicAi.Tests.Scheduling;

public abstract class LeaderLeaseContract : OnRedis
{
    [Fact]
    public async Task Lease_IsHeldByOne_ReleasedOnStop_AndTakenOverAfterItExpires()
    {
        await using var core = await CoreAsync(configure: s => s[SchedulerSettings.Keys.LeaseSeconds] = "1");
        LeaderLease New() => new(core.Get<IConnectionMultiplexer>(), core.Get<RedisKeys>(), core.Get<SchedulerSettings>());
        var (a, b) = (New(), New());

        Assert.True(await a.TryHoldAsync());
        Assert.False(await b.TryHoldAsync());
        Assert.True(await a.TryHoldAsync()); // renewal

        await b.ReleaseAsync(); // not the holder: changes nothing
        Assert.False(await b.TryHoldAsync());
        await a.ReleaseAsync(); // clean stop: the standby takes over at once
        Assert.True(await b.TryHoldAsync());

        await Task.Delay(1200); // b dies without renewing
        Assert.True(await a.TryHoldAsync());
        Assert.False(await b.TryHoldAsync());
    }
}

public sealed class LeaderLeaseTests : LeaderLeaseContract
{
    protected override string RedisUrl => TestServers.RedisUrl;
}

[Collection(RedisClusterCollection.Name)]
public sealed class LeaderLeaseClusterTests(PrivateRedisCluster cluster) : LeaderLeaseContract
{
    protected override string RedisUrl => cluster.Url;
}
