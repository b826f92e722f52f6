using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>
/// Lets an idle worker sleep until new work is published instead of polling hard (StackExchange.Redis cannot
/// block on XREADGROUP). The poll delay still bounds the wait if a wake-up is missed.
/// </summary>
public sealed class WorkSignal(IConnectionMultiplexer redis, RedisKeys keys)
{
    private readonly SemaphoreSlim wake = new(0, 1);
    private int subscribed;

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref subscribed, 1) == 0)
        {
            try { await redis.GetSubscriber().SubscribeAsync(keys.JobsWake, (_, _) => Release()); }
            catch (RedisException) { Volatile.Write(ref subscribed, 0); } // polling still works; subscribe again next time
        }
        await wake.WaitAsync(timeout, ct);
    }

    private void Release()
    {
        try { wake.Release(); } catch (SemaphoreFullException) { } // already signalled
    }
}
