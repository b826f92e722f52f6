using MicAi.Core.Configuration;
using MicAi.Core.Queue;

namespace MicAi.Host;

/// <summary>
/// The worker role's loop: run a batch, and when idle sleep until woken or the poll delay passes. Requeues jobs
/// abandoned by dead workers on start and every half visibility timeout, and beats its heartbeat.
/// On SIGTERM it stops fetching at once; the batch in flight may run until shortly before the host's shutdown
/// timeout, then it is cancelled and left pending for reclaim.
/// </summary>
public sealed class WorkerService(
    JobRunner jobs, WorkSignal signal, StaleJobs stale, Heartbeats beats, MicAiSettings settings, TimeProvider time,
    ILogger<WorkerService> log) : BackgroundService
{
    private const string Role = "worker";
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan BeatEvery = TimeSpan.FromSeconds(5);
    /// <summary>Left of the shutdown timeout for acking and disposing once in-flight jobs are cancelled.</summary>
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(2);

    private readonly string consumer = Heartbeats.ProcessName;
    private readonly CancellationTokenSource inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var reclaimEvery = settings.Reliability.VisibilityTimeout / 2;
        DateTimeOffset nextReclaim = default, nextBeat = default;
        for (var failures = 0; !stop.IsCancellationRequested;)
        {
            try
            {
                var now = time.GetUtcNow();
                if (now >= nextBeat) { await beats.BeatAsync(Role, consumer); nextBeat = now + BeatEvery; }
                if (now >= nextReclaim) { nextReclaim = now + reclaimEvery; await ReclaimAsync(stop); }
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
        try { await beats.StoppedAsync(Role, consumer).WaitAsync(ShutdownMargin); }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException) { } // stats then show it ageing out
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
        try { await stale.ReclaimAsync(stop); }
        catch (Exception ex) when (ex is not OperationCanceledException) { HostLog.ReclaimFailed(log, ex); } // the scheduler reclaims too
    }
}
