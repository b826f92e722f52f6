using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using StackExchange.Redis;

namespace MicAi.Tests.Queue;

/// <summary>Enqueues that happen together: every job reaches the stream, followed by fewer wake-ups than callers.</summary>
public abstract class JobStreamEnqueueContract : OnRedis
{
    [Fact]
    public async Task ConcurrentEnqueues_AddEveryJob_AndShareWakeUps_NotOnePerCaller()
    {
        var redis = await ConnectAsync();
        var keys = new RedisKeys(TestServers.NewRedisPrefix());
        var stream = new JobStream(redis, keys);
        var wakes = 0;
        var sentinelSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = await ConnectAsync();
        await listener.GetSubscriber().SubscribeAsync(keys.JobsWake, (_, message) =>
        {
            if (message == "sentinel") sentinelSeen.TrySetResult();
            else Interlocked.Increment(ref wakes);
        });
        var now = DateTimeOffset.UtcNow;
        var callers = Enumerable.Range(0, 200).Select(i => new[] { Job.New(JobTypes.Inbound, $"wamid.{i}", now) }).ToArray();

        await Task.WhenAll(callers.Select(jobs => stream.EnqueueAsync(jobs)));
        // Published after every wake on the same connection and channel, so it arrives after them.
        await redis.GetSubscriber().PublishAsync(keys.JobsWake, "sentinel");
        await sentinelSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stored = await redis.GetDatabase().StreamRangeAsync(keys.Jobs);
        Assert.Equal(callers.Select(c => c[0].Key).Order(), stored.Select(e => Job.FromFields(e.Values)!.Key).Order());
        // A wake is queued by the first caller and sent from the thread pool; callers that write their jobs before it
        // goes share it. How many share one depends on the scheduler, so this asks only that most callers shared.
        Assert.InRange(wakes, 1, 100); // one per caller would be 200
    }
}

public sealed class JobStreamEnqueueTests : JobStreamEnqueueContract
{
    protected override string RedisUrl => TestServers.RedisUrl;
}

[Collection(RedisClusterCollection.Name)]
public sealed class JobStreamEnqueueClusterTests(PrivateRedisCluster cluster) : JobStreamEnqueueContract
{
    protected override string RedisUrl => cluster.Url;
}
