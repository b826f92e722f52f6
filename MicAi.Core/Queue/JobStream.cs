using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>
/// The Redis Stream with one consumer group. Redis is transport only: every job names a durable Postgres row,
/// so a lost entry is re-enqueued by the sweeper and a duplicate entry is harmless.
/// </summary>
public sealed class JobStream(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>
    /// How long an enqueue may take. StackExchange.Redis holds commands while it reconnects (up to its own timeouts);
    /// a webhook must not wait that long: its rows are stored and the sweeper enqueues them later.
    /// </summary>
    public static readonly TimeSpan EnqueueTimeout = TimeSpan.FromSeconds(2);

    private int groupReady;

    public async Task EnsureGroupAsync()
    {
        if (Volatile.Read(ref groupReady) == 1) return;
        try { await redis.GetDatabase().StreamCreateConsumerGroupAsync(keys.Jobs, keys.WorkerGroup, "0-0", createStream: true); }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal)) { }
        Volatile.Write(ref groupReady, 1);
    }

    /// <summary>Adds the jobs in one pipelined burst and wakes idle workers. Throws TimeoutException after <see cref="EnqueueTimeout"/>.</summary>
    public async Task EnqueueAsync(IReadOnlyCollection<Job> jobs)
    {
        if (jobs.Count == 0) return;
        // The producer span is the XADD's span (messaging conventions: "send jobs" over messaging.system=redis); a
        // Redis client span inside it would say the same again, for one more Activity per webhook.
        using var send = JobTracing.StartSend(jobs.Count);
        var context = JobTracing.CreationContext(send);
        var db = redis.GetDatabase();
        var adds = new Task[jobs.Count];
        var i = 0;
        foreach (var job in jobs)
            adds[i++] = db.StreamAddAsync(keys.Jobs, (context is null || job.TraceParent is not null ? job : job with { TraceParent = context }).ToFields());
        Wake();
        await Task.WhenAll(adds).WaitAsync(EnqueueTimeout);
        foreach (var job in jobs) QueueMetrics.Sent.Add(1, QueueMetrics.System, QueueMetrics.Destination, QueueMetrics.JobType(job.Type));
    }

    private int wakeQueued;

    /// <summary>
    /// One PUBLISH after the XADDs written so far: a wake per webhook was a PUBLISH for Redis and a message for every
    /// worker each time. The first caller queues the PUBLISH on the thread pool; callers whose XADDs are written before
    /// it runs see it queued and send none, since it clears the flag before it is written and so follows their XADDs
    /// (one connection keeps the order). No caller waits for it: the webhook's answer waits only for its own XADDs.
    /// </summary>
    private void Wake()
    {
        if (Interlocked.Exchange(ref wakeQueued, 1) == 1) return;
        ThreadPool.UnsafeQueueUserWorkItem(static stream => stream.PublishWake(), this, preferLocal: false);
    }

    private void PublishWake()
    {
        Interlocked.Exchange(ref wakeQueued, 0);
        try { redis.GetSubscriber().Publish(keys.JobsWake, RedisValue.EmptyString, CommandFlags.FireAndForget); }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException) { } // the workers' poll still finds the jobs
    }

    /// <summary>After Redis lost its data (restart without persistence) the group must be created again.</summary>
    internal void ForgetGroup() => Volatile.Write(ref groupReady, 0);

    public async Task<StreamEntry[]> ReadAsync(string consumer, int count)
    {
        await EnsureGroupAsync();
        try
        {
            return await redis.GetDatabase().StreamReadGroupAsync(keys.Jobs, keys.WorkerGroup, consumer, ">", count);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            ForgetGroup(); // Redis lost its data (restart without persistence): recreate and retry next time
            return [];
        }
    }

    /// <summary>Acks and deletes in one pipelined pair, so the stream holds only unfinished work.</summary>
    public async Task AckAsync(IReadOnlyCollection<RedisValue> ids)
    {
        if (ids.Count == 0) return;
        var db = redis.GetDatabase();
        var array = ids as RedisValue[] ?? ids.ToArray();
        await Task.WhenAll(db.StreamAcknowledgeAsync(keys.Jobs, keys.WorkerGroup, array), db.StreamDeleteAsync(keys.Jobs, array));
    }

    /// <summary>
    /// How long the oldest job still in the stream has waited (acked entries are deleted, so this is the oldest
    /// unfinished one), from the time in its entry id; null when the stream is empty.
    /// </summary>
    public async Task<double?> OldestAgeSecondsAsync(TimeProvider time)
    {
        var oldest = await redis.GetDatabase().StreamRangeAsync(keys.Jobs, "-", "+", count: 1);
        if (oldest.Length == 0 || oldest[0].Id.ToString() is not { } id || !long.TryParse(id.AsSpan(0, Math.Max(0, id.IndexOf('-'))), out var ms)) return null;
        return Math.Max(0, Math.Round((time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms)).TotalSeconds, 1));
    }

    public async Task<(long Length, long Pending)> CountsAsync()
    {
        var db = redis.GetDatabase();
        var length = await db.StreamLengthAsync(keys.Jobs);
        long pending = 0;
        try { pending = (await db.StreamPendingAsync(keys.Jobs, keys.WorkerGroup)).PendingMessageCount; }
        catch (RedisServerException) { } // no group yet
        return (length, pending);
    }
}
