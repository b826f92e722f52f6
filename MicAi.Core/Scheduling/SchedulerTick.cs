using MicAi.Core.Queue;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Scheduling;

/// <summary>
/// One scheduler pass, driven by the Host's loop (under the leader lease) or the Functions timer: work an older MicAi
/// left under the old key names is moved over, due schedules become send jobs, due retries return to the stream,
/// jobs abandoned by dead workers are requeued, and work whose job was lost is swept back in (see
/// <see cref="PipelineSweeper"/>).
/// </summary>
public sealed class SchedulerTick(
    ScheduleStore schedules, JobStream jobs, DelayedJobs delayed, StaleJobs stale, LegacyQueueMigration legacy, PipelineSweeper sweeper,
    Heartbeats beats, TimeProvider time, ILogger<SchedulerTick> log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var failures = new List<Exception>();
        // Redis-only steps first and apart from the Postgres steps, so an outage of one does not stop the other.
        try
        {
            await legacy.RunAsync(ct); // an older version's jobs first, so its due retries are promoted below
            await delayed.PromoteDueAsync();
            await stale.ReclaimAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { failures.Add(ex); }

        var fired = 0;
        try
        {
            var keys = await schedules.ClaimDueAsync(now, 200, ct);
            fired = keys.Count;
            if (fired > 0) SchedulingLog.Fired(log, fired);
            // The ledger rows are committed; if this enqueue fails the sweeper re-enqueues them on a later tick.
            await jobs.EnqueueAsync(keys.Select(k => Job.New(JobTypes.Send, k, now)).ToArray());
            await sweeper.RunAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { failures.Add(ex); }

        if (failures.Count == 1) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        if (failures.Count > 1) throw new AggregateException(failures);
        await beats.TickedAsync();
        return fired;
    }
}
