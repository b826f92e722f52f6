using MicAi.Core.Queue;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Scheduling;

/// <summary>
/// One scheduler pass, driven by the Host's loop (under the leader lease) or the Functions timer: due schedules
/// become send jobs, due retries return to the stream, jobs abandoned by dead workers are requeued, and work whose
/// job was lost is swept back in (see <see cref="PipelineSweeper"/>).
/// </summary>
public sealed class SchedulerTick(
    ScheduleStore schedules, JobStream jobs, DelayedJobs delayed, StaleJobs stale, PipelineSweeper sweeper, Heartbeats beats,
    TimeProvider time, ILogger<SchedulerTick> log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var keys = await schedules.ClaimDueAsync(now, 200, ct);
        if (keys.Count > 0) SchedulingLog.Fired(log, keys.Count);
        // The ledger rows are committed; if this enqueue fails the sweeper re-enqueues them on a later tick.
        await jobs.EnqueueAsync(keys.Select(k => Job.New(JobTypes.Send, k, now)).ToArray());
        await delayed.PromoteDueAsync();
        await stale.ReclaimAsync(ct);
        await sweeper.RunAsync(ct);
        await beats.TickedAsync();
        return keys.Count;
    }
}
