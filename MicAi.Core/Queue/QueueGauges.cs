using System.Diagnostics.Metrics;
using MicAi.Core.Telemetry;
using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>
/// The pipeline's state as gauges: queue length, pending, delayed, the age of the oldest unfinished job (queue lag:
/// acked entries are deleted, so the stream's first entry is the oldest job not done), open dead jobs, the youngest
/// worker heartbeat and the scheduler's last tick. Shared state, read from Redis and Postgres at collection time and
/// kept for <see cref="MaxAge"/>; the scrape endpoint refreshes it asynchronously first, so a scrape blocks no thread.
/// A refresh that fails (Redis or Postgres down) leaves the gauges out of that collection, which is what
/// <c>absent()</c> alerts see.
/// </summary>
public sealed class QueueGauges : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lazy<Sources> sources;
    private readonly RedisKeys keys;
    private readonly TimeProvider time;
    private readonly Meter meter;
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private volatile Snapshot? last;

    private sealed record Snapshot(DateTimeOffset At, long Length, long Pending, long Delayed, double Lag, long DeadJobs,
        int Workers, double? WorkerBeatAge, double? SchedulerTickAge);

    /// <summary>
    /// What a reading reads. Resolved at the first refresh, not with the gauges: the api's <c>GET /metrics</c> builds the
    /// meter provider, and so the gauges, while the routes are mapped, and connecting to Redis there (TLS handshake,
    /// the machine's CA store, the client's first compiled regex) held the api's start-up by a few hundred ms (bench).
    /// </summary>
    public sealed record Sources(IConnectionMultiplexer Redis, DeadJobStore Dead, Heartbeats Heartbeats);

    public QueueGauges(IMeterFactory meters, Func<Sources> sources, RedisKeys keys, TimeProvider time)
    {
        (this.sources, this.keys, this.time) = (new Lazy<Sources>(sources), keys, time);
        // A meter of this container's own, so a second host in one process (tests) never reads this one's servers.
        meter = meters.Create(MicAiDiagnostics.Name);
        Gauge("micai.queue.length", "{job}", "Jobs in the stream (waiting or being processed)", s => s.Length);
        Gauge("micai.queue.pending", "{job}", "Jobs read by a worker and not yet acknowledged", s => s.Pending);
        Gauge("micai.queue.delayed", "{job}", "Jobs waiting in the delayed set for their retry", s => s.Delayed);
        Gauge("micai.queue.lag", "s", "Age of the oldest job not yet finished (0 when the stream is empty)", s => s.Lag);
        Gauge("micai.dead_jobs", "{job}", "Dead jobs not yet replayed or deleted", s => s.DeadJobs);
        Gauge("micai.workers", "{process}", "Worker processes whose heartbeat is under a minute old", s => s.Workers);
        Gauge("micai.worker.heartbeat.age", "s", "Seconds since the most recent worker heartbeat", s => s.WorkerBeatAge);
        Gauge("micai.scheduler.tick.age", "s", "Seconds since the scheduler's last tick", s => s.SchedulerTickAge);
    }

    /// <summary>Reads the state now unless the last reading is younger than <see cref="MaxAge"/>.</summary>
    public async Task RefreshAsync()
    {
        if (IsFresh(last)) return;
        await refreshing.WaitAsync();
        try
        {
            if (!IsFresh(last)) last = await ReadAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException || Storage.StorageFailure.IsUnavailable(ex))
        {
            last = null;
        }
        finally { refreshing.Release(); }
    }

    public void Dispose()
    {
        meter.Dispose();
        refreshing.Dispose();
    }

    private bool IsFresh(Snapshot? s) => s is not null && time.GetUtcNow() - s.At < MaxAge;

    private void Gauge(string name, string unit, string description, Func<Snapshot, double?> value) =>
        meter.CreateObservableGauge(name, () => Observe(value), unit, description);

    private IEnumerable<Measurement<double>> Observe(Func<Snapshot, double?> value)
    {
        // An OTLP export runs on the exporter's own thread: waiting there is harmless. A scrape refreshed before it.
        if (!IsFresh(last)) RefreshAsync().GetAwaiter().GetResult();
        return last is { } s && value(s) is { } v ? [new Measurement<double>(v)] : [];
    }

    private async Task<Snapshot> ReadAsync()
    {
        var (redis, dead, heartbeats) = sources.Value;
        var db = redis.GetDatabase();
        var now = time.GetUtcNow();
        var length = db.StreamLengthAsync(keys.Jobs);
        var first = db.StreamRangeAsync(keys.Jobs, "-", "+", 1);
        var delayed = db.SortedSetLengthAsync(keys.DelayedJobs);
        long pending = 0;
        try { pending = (await db.StreamPendingAsync(keys.Jobs, keys.WorkerGroup)).PendingMessageCount; }
        catch (RedisServerException) { } // no group yet
        var oldest = (await first).FirstOrDefault();
        var lag = oldest.IsNull ? 0 : Math.Max(0, (now - DateTimeOffset.FromUnixTimeMilliseconds(EntryMilliseconds(oldest.Id))).TotalSeconds);
        var beats = await heartbeats.ReadAsync();
        var workers = beats.Processes.Where(p => p.Role == WorkerPass.Role).ToList();
        return new Snapshot(now, await length, pending, await delayed, lag, await dead.CountOpenAsync(CancellationToken.None),
            workers.Count(w => w.AgeSeconds < 60), workers.Count > 0 ? workers.Min(w => w.AgeSeconds) : null, beats.LastTickAgeSeconds);
    }

    /// <summary>A stream id is "&lt;unix ms&gt;-&lt;sequence&gt;": the time Redis added the entry.</summary>
    private static long EntryMilliseconds(RedisValue id)
    {
        var text = id.ToString();
        var dash = text.IndexOf('-');
        return long.TryParse(dash < 0 ? text : text[..dash], out var ms) ? ms : 0;
    }
}
