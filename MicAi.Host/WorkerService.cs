using MicAi.Core.Configuration;
using MicAi.Core.Queue;

namespace MicAi.Host;

/// <summary>
/// The worker role's loops: each runs a batch, and when idle sleeps until woken or the poll delay passes. Several
/// loops run side by side so one slow job (a Graph call, an LLM answer) holds back only its own batch. The first loop
/// also moves jobs an older version left under the old key names and requeues jobs abandoned by dead workers (on
/// start and every half visibility timeout), and beats the heartbeat.
/// On SIGTERM it stops fetching at once; the batch in flight may run until shortly before the host's shutdown
/// timeout, then it is cancelled and left pending for reclaim.
/// </summary>
public sealed class WorkerService(
    JobRunner jobs, WorkSignal signal, StaleJobs stale, LegacyQueueMigration legacy, Heartbeats beats, MicAiSettings settings,
    TimeProvider time, ILogger<WorkerService> log) : BackgroundService
{
    private const string Role = "worker";
    /// <summary>Batches in flight at once, each of up to MICAI_WORKER_CONCURRENCY jobs.</summary>
    public const int FetchLoops = 4;
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan BeatEvery = TimeSpan.FromSeconds(5);
    /// <summary>Left of the shutdown timeout for acking and disposing once in-flight jobs are cancelled.</summary>
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(2);

    private readonly string consumer = Heartbeats.ProcessName;
    private readonly CancellationTokenSource inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, FetchLoops).Select(i => Task.Run(() => FetchLoopAsync(housekeeping: i == 0, stop))));
        try { await beats.StoppedAsync(Role, consumer).WaitAsync(ShutdownMargin); }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException) { } // stats then show it ageing out
    }

    private async Task FetchLoopAsync(bool housekeeping, CancellationToken stop)
    {
        var reclaimEvery = settings.Reliability.VisibilityTimeout / 2;
        DateTimeOffset nextReclaim = default, nextBeat = default;
        for (var failures = 0; !stop.IsCancellationRequested;)
        {
            try
            {
                var now = time.GetUtcNow();
                if (housekeeping && now >= nextBeat) { await beats.BeatAsync(Role, consumer); nextBeat = now + BeatEvery; }
                if (housekeeping && now >= nextReclaim) { nextReclaim = now + reclaimEvery; await ReclaimAsync(stop); }
                if (await jobs.RunOnceAsync(consumer, inFlight.Token) == 0) await signal.WaitAsync(IdleDelay, stop);
                failures = 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                var delay = Backoff.Loop(++failures);
                HostLog.LoopFaulted(log, Role, ex, delay);
                try { await Task.Delay(delay, time, stop); } catch (OperationCanceledException) { break; }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var grace = settings.Reliability.ShutdownTimeout - ShutdownMargin;
        inFlight.CancelAfter(grace > TimeSpan.Zero ? grace : TimeSpan.Zero);
        HostLog.Draining(log, grace);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        inFlight.Dispose();
        base.Dispose();
    }

    private async Task ReclaimAsync(CancellationToken stop)
    {
        try
        {
            await legacy.RunAsync(stop); // jobs an older version left under the old key names
            await stale.ReclaimAsync(stop);
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { HostLog.ReclaimFailed(log, ex); } // the scheduler reclaims too
    }
}
