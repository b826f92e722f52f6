using System.Diagnostics;
using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Bench;

/// <summary>
/// The queue layer alone on the same Redis, built from Core's own pieces (JobStream, JobRunner) with a no-op
/// handler: enqueue N (pipelined), then consume + ack them with M consumers reading C at a time; then both at once.
/// </summary>
public sealed class QueuePart(BenchOptions options, Report report)
{
    private const string Part = "queue";
    private const int EnqueueChunk = 1000;

    public async Task RunAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(options.RedisUrl));
        // Never opened: the no-op handler never fails, so no job reaches the dead-letter table.
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(options.DatabaseUrl));
        var label = $"{options.QueueJobs:N0} jobs, {options.QueueConsumers} consumers × batch {options.QueueBatch}";

        var (keys, runner, handler) = Build(redis, db);
        var stream = new JobStream(redis, keys);
        await stream.EnsureGroupAsync();
        var enqueue = await EnqueueAsync(stream, options.QueueJobs);
        var consume = await ConsumeAsync(redis, keys, runner, handler, options.QueueJobs);
        var (length, pending) = await stream.CountsAsync();
        await redis.GetDatabase().KeyDeleteAsync(keys.Jobs);
        report.Add(new Row(Part, $"enqueue jobs/s (pipelined XADD, {label})", Report.Rate(options.QueueJobs / enqueue.TotalSeconds, "/s")));
        report.Add(new Row(Part, "consume + ack jobs/s (pre-filled stream)", Report.Rate(options.QueueJobs / consume.TotalSeconds, "/s")));

        (keys, runner, handler) = Build(redis, db);
        stream = new JobStream(redis, keys);
        await stream.EnsureGroupAsync();
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(EnqueueAsync(stream, options.QueueJobs), ConsumeAsync(redis, keys, runner, handler, options.QueueJobs));
        var both = Stopwatch.GetElapsedTime(start);
        var (length2, pending2) = await stream.CountsAsync();
        await redis.GetDatabase().KeyDeleteAsync(keys.Jobs);
        var perSecond = options.QueueJobs / both.TotalSeconds;
        report.Add(new Row(Part, "enqueue ∥ consume + ack, jobs/s (first XADD → last ack)", Report.Rate(perSecond, "/s"), "≥ 25,000 /s", perSecond >= 25000));
        report.Check(Part, "jobs left in the stream or pending after the runs", length + pending + length2 + pending2);
    }

    private (RedisKeys, JobRunner, NoOpHandler) Build(IConnectionMultiplexer redis, NpgsqlDataSource db)
    {
        var keys = new RedisKeys("qbench" + Guid.NewGuid().ToString("N")[..8]);
        var settings = MicAiSettings.Load(k => k == WorkerSettings.Keys.Concurrency ? options.QueueBatch.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, SecretSource.Default);
        var handler = new NoOpHandler();
        var runner = new JobRunner(new JobStream(redis, keys), new DelayedJobs(redis, keys, TimeProvider.System), new DeadJobStore(db),
            [handler], settings.Queue, settings.Worker, NullLogger<JobRunner>.Instance);
        return (keys, runner, handler);
    }

    private static async Task<TimeSpan> EnqueueAsync(JobStream stream, int count)
    {
        var start = Stopwatch.GetTimestamp();
        var now = DateTimeOffset.UtcNow;
        var chunks = new List<Task>();
        for (var i = 0; i < count; i += EnqueueChunk)
        {
            var jobs = Enumerable.Range(i, Math.Min(EnqueueChunk, count - i)).Select(n => Job.New(NoOpHandler.JobType, "k" + n, now)).ToArray();
            chunks.Add(stream.EnqueueAsync(jobs));
            if (chunks.Count == 4) { await Task.WhenAll(chunks); chunks.Clear(); } // a few chunks in flight, like several api instances
        }
        await Task.WhenAll(chunks);
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Each consumer loops like the Host worker: run a batch, and when idle wait for the wake-up publish.</summary>
    private async Task<TimeSpan> ConsumeAsync(IConnectionMultiplexer redis, RedisKeys keys, JobRunner runner, NoOpHandler handler, int count)
    {
        var start = Stopwatch.GetTimestamp();
        long finishedAt = 0; // when the last job was acked (idle consumers may still be waiting for a wake-up)
        await Task.WhenAll(Enumerable.Range(0, options.QueueConsumers).Select(c => Task.Run(async () =>
        {
            var signal = new WorkSignal(redis, keys);
            var idleSince = Stopwatch.GetTimestamp();
            while (handler.Handled < count)
            {
                if (await runner.RunOnceAsync($"bench-{c}", CancellationToken.None) > 0)
                {
                    idleSince = Stopwatch.GetTimestamp();
                    if (handler.Handled >= count) Interlocked.CompareExchange(ref finishedAt, idleSince, 0);
                }
                else if (Stopwatch.GetElapsedTime(idleSince) > TimeSpan.FromSeconds(10)) throw new TimeoutException($"queue: {handler.Handled} of {count} jobs handled");
                else await signal.WaitAsync(TimeSpan.FromMilliseconds(250), CancellationToken.None);
            }
        })));
        return Stopwatch.GetElapsedTime(start, finishedAt);
    }

    private sealed class NoOpHandler : IJobHandler
    {
        public const string JobType = "bench-noop";
        private long handled;

        public string Type => JobType;
        public long Handled => Interlocked.Read(ref handled);

        public Task HandleAsync(Job job, CancellationToken ct)
        {
            Interlocked.Increment(ref handled);
            return Task.CompletedTask;
        }
    }
}
