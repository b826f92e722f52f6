using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Scheduling;

/// <summary>
/// One scheduler pass, driven by the Host's loop or the Functions timer: due schedules become send jobs, due retries
/// return to the stream, and messages stored but never enqueued (Redis was down) are swept back in.
/// </summary>
public sealed class SchedulerTick(
    ScheduleStore schedules, InboundStore inbound, JobStream jobs, DelayedJobs delayed, TimeProvider time, ILogger<SchedulerTick> log)
{
    public static readonly TimeSpan SweepAfter = TimeSpan.FromSeconds(60);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var keys = await schedules.ClaimDueAsync(now, 200, ct);
        // The ledger rows are committed; if this enqueue fails the sweeper below re-enqueues them next time.
        await jobs.EnqueueAsync(keys.Select(k => Job.New(JobTypes.Send, k, now)).ToArray());
        await delayed.PromoteDueAsync();

        var lost = await inbound.FindUnfinishedAsync(SweepAfter, 500, ct);
        if (lost.Count > 0)
        {
            await jobs.EnqueueAsync(lost.Select(w => Job.New(JobTypes.Inbound, w, now)).ToArray());
            SchedulingLog.Swept(log, lost.Count);
        }
        if (keys.Count > 0) SchedulingLog.Fired(log, keys.Count);
        return keys.Count;
    }
}
