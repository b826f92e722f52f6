using Microsoft.Extensions.Logging;

namespace MicAi.Core.Queue;

/// <summary>
/// One worker pass, the unit both adapters drive: housekeeping when it is due (a heartbeat every few seconds; an
/// older version's keys moved and jobs abandoned by dead workers requeued on the first pass and every half visibility
/// timeout), then batches of jobs until the stream is empty or the budget is spent. The budget is checked between
/// batches, so a send already in flight is never cut off. The Host's worker loops it; Functions' WorkerPoll timer
/// runs one pass per tick. Either way <see cref="BatchesInFlight"/> batches run side by side (the Host's loops one each,
/// a budgeted pass all of them), so one slow job (a Graph call, an LLM answer) holds back only its own batch.
/// Everything Redis-shaped stays here: a failed housekeeping step is logged and left to the next pass or the
/// scheduler; a failed batch is thrown for the caller's loop to back off.
/// </summary>
public sealed class WorkerPass(
    JobRunner runner, WorkSignal signal, StaleJobs stale, LegacyQueueMigration legacy, Heartbeats beats, QueueSettings queue,
    WorkerSettings worker, TimeProvider time, ILogger<WorkerPass> log)
{
    public const string Role = "worker";
    /// <summary>Batches in flight at once, each of up to MICAI_WORKER_CONCURRENCY jobs.</summary>
    public const int BatchesInFlight = 4;
    private static readonly TimeSpan BeatEvery = TimeSpan.FromSeconds(5);
    /// <summary>How long an idle loop sleeps when no wake-up comes (a missed pub/sub message costs at most this).</summary>
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock due = new();
    private DateTimeOffset nextBeat, nextReclaim;

    /// <summary>
    /// This process's consumer name in the group: the Functions instance id when there is one (each scaled-out
    /// instance owns its pending entries), else host name and pid (the pid is 1 in every container).
    /// </summary>
    public string Consumer { get; } = worker.InstanceId ?? Heartbeats.ProcessName;

    /// <param name="housekeeping">False for the extra loops of a process whose first loop keeps house.</param>
    /// <param name="budget">
    /// Zero: one batch (the Host's loops). Otherwise <see cref="BatchesInFlight"/> batches side by side, each followed
    /// by the next until the stream is empty or this has passed (Functions' timer).
    /// </param>
    /// <returns>How many jobs were handled; 0 when the stream was empty.</returns>
    public Task<int> RunAsync(bool housekeeping, TimeSpan budget, CancellationToken ct) => RunAsync(housekeeping, budget, ct, ct);

    /// <param name="jobs">Cancels jobs in flight (the Host's drain cancels it shortly before its shutdown timeout).</param>
    /// <param name="stop">Ends the pass's waits on Redis at once (housekeeping, reading jobs): nothing is in flight then.</param>
    public async Task<int> RunAsync(bool housekeeping, TimeSpan budget, CancellationToken jobs, CancellationToken stop)
    {
        if (housekeeping) await KeepHouseAsync(stop);
        if (budget <= TimeSpan.Zero) return await runner.RunOnceAsync(Consumer, jobs, stop);
        var until = time.GetUtcNow() + budget;
        var drained = await Task.WhenAll(Enumerable.Range(0, BatchesInFlight).Select(_ => DrainAsync(until, jobs, stop)));
        return drained.Sum();
    }

    /// <summary>Batch after batch until the stream is empty or <paramref name="until"/> has passed.</summary>
    private async Task<int> DrainAsync(DateTimeOffset until, CancellationToken jobs, CancellationToken stop)
    {
        var handled = 0;
        int batch;
        do
        {
            batch = await runner.RunOnceAsync(Consumer, jobs, stop);
            handled += batch;
        } while (batch > 0 && time.GetUtcNow() < until && !stop.IsCancellationRequested);
        return handled;
    }

    /// <summary>An idle pause: ends at once when new work is announced, else after a short poll delay.</summary>
    public Task IdleAsync(CancellationToken stop) => signal.WaitAsync(IdleDelay, stop);

    /// <summary>A clean stop: the heartbeat is removed so stats list only processes that may still run.</summary>
    public async Task StoppedAsync()
    {
        if (!beats.Reachable) return; // Redis is down: no wait for a timeout; stats show the beat age into "stopped"
        try { await beats.StoppedAsync(Role, Consumer).WaitAsync(StopTimeout); }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException) { } // stats then show it ageing out
    }

    private async Task KeepHouseAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        bool beat, reclaim;
        lock (due)
        {
            beat = now >= nextBeat;
            if (beat) nextBeat = now + BeatEvery;
            reclaim = now >= nextReclaim;
            if (reclaim) nextReclaim = now + queue.VisibilityTimeout / 2;
        }
        if (beat) await beats.BeatAsync(Role, Consumer).WaitAsync(ct);
        if (!reclaim) return;
        try
        {
            await legacy.RunAsync(ct).WaitAsync(ct); // jobs an older version left under the old key names
            await stale.ReclaimAsync(ct).WaitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { QueueLog.ReclaimFailed(log, ex); } // the scheduler reclaims too
    }
}
