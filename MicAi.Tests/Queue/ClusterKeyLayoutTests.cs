using System.Net;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using StackExchange.Redis;

namespace MicAi.Tests.Queue;

/// <summary>
/// On a real three-master cluster: one node's URL reaches all of it, the key layout before hash tags would have
/// failed with CROSSSLOT, and today's keys all share one slot.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterKeyLayoutTests(PrivateRedisCluster cluster)
{
    // The promote script of the layout before hash tags, over its two keys.
    private const string OldPromote = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 10)
        for _, json in ipairs(due) do redis.call('ZREM', KEYS[1], json); redis.call('XADD', KEYS[2], '*', 'job', json) end
        return #due
        """;

    [Fact]
    public async Task OneNodesUrl_ReachesEveryMaster_AndKeysOnEveryNode()
    {
        await using var redis = await cluster.ConnectAsync();
        var masters = redis.GetServers().Where(s => !s.IsReplica).ToArray();
        Assert.Equal(cluster.Ports.Order(), masters.Select(s => ((IPEndPoint)s.EndPoint).Port).Order());
        Assert.All(masters, s => Assert.Equal(ServerType.Cluster, s.ServerType));

        // Enough keys to land on every master: each read and written through the node that owns its slot.
        var db = redis.GetDatabase();
        var keys = Enumerable.Range(0, 60).Select(i => (RedisKey)$"spread:{Guid.NewGuid():N}:{i}").ToArray();
        await Task.WhenAll(keys.Select(k => db.StringSetAsync(k, k.ToString(), TimeSpan.FromMinutes(1))));
        Assert.Equal(3, keys.Select(k => redis.GetServer(k).EndPoint.ToString()).Distinct().Count());
        Assert.All(await Task.WhenAll(keys.Select(async k => (k, await db.StringGetAsync(k)))), p => Assert.Equal(p.k.ToString(), p.Item2.ToString()));
    }

    [Fact]
    public async Task PubSub_AnAnnouncementPublishedThroughOneClient_ReachesASubscriberOfAnother()
    {
        // The kill switch and the worker wake-up ride on pub/sub: on a cluster a PUBLISH on any node reaches them all.
        await using var subscriber = await cluster.ConnectAsync();
        await using var publisher = await cluster.ConnectAsync();
        var channel = new RedisKeys(TestServers.NewRedisPrefix()).OutboundFlagChanged;
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await subscriber.GetSubscriber().SubscribeAsync(channel, (_, message) => heard.TrySetResult(message!));

        await publisher.GetSubscriber().PublishAsync(channel, "1"); // its count is the receiving node's subscribers only
        Assert.Equal("1", await heard.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task OldLayout_PromoteScript_FailsWithCrossSlot_OnACluster()
    {
        await using var redis = await cluster.ConnectAsync();
        var old = new RedisKeys("micai").Legacy;
        Assert.NotEqual(redis.HashSlot(old.DelayedJobs), redis.HashSlot(old.Jobs));

        // Sent as is to the node that owns the first key: the server itself refuses the script.
        var node = redis.GetServer(old.DelayedJobs);
        var refused = await Assert.ThrowsAsync<RedisServerException>(() =>
            node.ExecuteAsync("EVAL", OldPromote, 2, (string)old.DelayedJobs!, (string)old.Jobs!, 0));
        Assert.StartsWith("CROSSSLOT", refused.Message);
    }

    [Fact]
    public async Task EveryKey_SharesTheHashSlotOfItsPrefix_SoScriptsOverAnyTwoWork()
    {
        await using var redis = await cluster.ConnectAsync();
        var keys = new RedisKeys(TestServers.NewRedisPrefix());
        RedisKey[] all =
        [
            keys.Jobs, keys.DelayedJobs, keys.OutboundPaused, keys.SchedulerLease, keys.Heartbeats, keys.SchedulerLastTick,
            keys.LegacyMigration, keys.Swept("send", "reply:wamid.1"), keys.RatePhone("106540352242922"), keys.RateRecipient("15550002222"),
        ];
        Assert.Single(all.Select(k => redis.HashSlot(k)).Distinct());

        // The promote script over the new keys runs on the cluster.
        var delayed = new DelayedJobs(redis, keys, TimeProvider.System);
        await delayed.ScheduleAsync(Job.New(JobTypes.Send, "k", DateTimeOffset.UtcNow), TimeSpan.Zero);
        Assert.Equal(1, await delayed.PromoteDueAsync());
        Assert.Equal(1, await redis.GetDatabase().StreamLengthAsync(keys.Jobs));
    }
}
