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
/// handler, beside a bare XADD/XREADGROUP/XACK loop (<see cref="BareStream"/>) on the same Redis: enqueue N
/// (pipelined), consume + ack a pre-filled stream with M consumers reading C at a time, and both at once. Each is
/// measured in several rounds, the bare loop and the layer taking turns (and swapping which goes first), so both see
/// the same machine; the figures are the rounds' medians and the layer's share of the bare loop.
/// </summary>
public sealed class QueuePart(BenchOptions options, Report report, BenchProcesses processes)
{
    private const string Part = "queue";
    private const int EnqueueChunk = 1000;
    private static readonly string[] Modes = ["enqueue", "consume + ack", "enqueue ∥ consume + ack"];

    public async Task RunAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(options.RedisUrl));
        // Never opened: the no-op handler never fails, so no job reaches the dead-letter table.
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(options.DatabaseUrl));
        var rates = new Dictionary<(string Layer, string Mode), List<double>>();
        var events = new Dictionary<(string Layer, string Mode), List<WindowEvents>>();
        long left = 0;
        for (var round = 0; round < options.QueueRounds; round++)
        {
            foreach (var layer in round % 2 == 0 ? new[] { "bare", "core" } : ["core", "bare"])
            {
                foreach (var mode in Modes)
                {
                    var before = await WindowSample.TakeAsync(processes, null, []);
                    var (took, leftover) = layer == "bare" ? await BareAsync(redis, mode) : await CoreAsync(redis, db, mode);
                    var after = await WindowSample.TakeAsync(processes, null, []);
                    left += leftover;
                    (rates.TryGetValue((layer, mode), out var r) ? r : rates[(layer, mode)] = []).Add(options.QueueJobs / took.TotalSeconds);
                    (events.TryGetValue((layer, mode), out var e) ? e : events[(layer, mode)] = []).Add(WindowSample.Between(before, after));
                }
            }
        }

        var label = $"rounds of {options.QueueJobs:N0} jobs";
        report.Note($"queue: {options.QueueConsumers} consumers × batch {options.QueueBatch}; \"bare\" is XADD/XREADGROUP/XACK on the same Redis without MicAi's layer (no XDEL, wake-up publish, job parsing or handler).");
        foreach (var mode in Modes)
        {
            var both = mode == Modes[2];
            var core = WindowFigure.Add(report, Part, $"{mode} jobs/s, Core's JobStream + JobRunner", rates[("core", mode)], events[("core", mode)],
                label, v => Report.Rate(v, "/s"), both ? "≥ 25,000 /s" : "", both ? m => m >= 25000 : null);
            var bare = WindowFigure.Add(report, Part, $"{mode} jobs/s, bare Redis Streams loop", rates[("bare", mode)], events[("bare", mode)],
                label, v => Report.Rate(v, "/s"));
            report.Add(new Row(Part, $"{mode}: Core ÷ bare (medians)", (core.Median / bare.Median).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
        }
        report.Check(Part, "jobs left in the stream or pending after the runs", left);
    }

    /// <summary>One measurement of MicAi's layer on fresh keys; the time and what it left in the stream or pending.</summary>
    private async Task<(TimeSpan Took, long Left)> CoreAsync(IConnectionMultiplexer redis, NpgsqlDataSource db, string mode)
    {
        var (keys, runner, handler) = Build(redis, db);
        var stream = new JobStream(redis, keys);
        await stream.EnsureGroupAsync();
        TimeSpan took;
        if (mode == Modes[0]) took = await EnqueueAsync(stream, options.QueueJobs);
        else if (mode == Modes[1])
        {
            await EnqueueAsync(stream, options.QueueJobs);
            took = await ConsumeAsync(redis, keys, runner, handler, options.QueueJobs);
        }
        else
        {
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(EnqueueAsync(stream, options.QueueJobs), ConsumeAsync(redis, keys, runner, handler, options.QueueJobs));
            took = Stopwatch.GetElapsedTime(start);
        }
        var (length, pending) = await stream.CountsAsync();
        await redis.GetDatabase().KeyDeleteAsync(keys.Jobs);
        // Enqueue alone leaves its jobs on purpose.
        return (took, mode == Modes[0] ? 0 : length + pending);
    }

    private async Task<(TimeSpan Took, long Left)> BareAsync(IConnectionMultiplexer redis, string mode)
    {
        var key = "{qbare" + Guid.NewGuid().ToString("N")[..8] + "}:jobs";
        var bare = new BareStream(redis, key);
        await bare.CreateAsync();
        TimeSpan took;
        if (mode == Modes[0]) took = await bare.EnqueueAsync(options.QueueJobs);
        else if (mode == Modes[1])
        {
            await bare.EnqueueAsync(options.QueueJobs);
            took = await bare.ConsumeAsync(options.QueueJobs, options.QueueConsumers, options.QueueBatch);
        }
        else
        {
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(bare.EnqueueAsync(options.QueueJobs), bare.ConsumeAsync(options.QueueJobs, options.QueueConsumers, options.QueueBatch));
            took = Stopwatch.GetElapsedTime(start);
        }
        var pending = await bare.PendingAsync();
        await redis.GetDatabase().KeyDeleteAsync(key);
        return (took, pending);
    }

    private (RedisKeys, JobRunner, NoOpHandler) Build(IConnectionMultiplexer redis, NpgsqlDataSource db)
    {
        var keys = new RedisKeys("qbench" + Guid.NewGuid().ToString("N")[..8]);
        var settings = MicAiSettings.Load(k => k == WorkerSettings.Keys.Concurrency ? options.QueueBatch.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, SecretSource.Default);
        var handler = new NoOpHandler();
        var runner = new JobRunner(new JobStream(redis, keys), new DelayedJobs(redis, keys, TimeProvider.System), new DeadJobStore(db),
            () => [handler], settings.Queue, settings.Worker, NullLogger<JobRunner>.Instance);
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
