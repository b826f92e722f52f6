using MicAi.Core.Queue;
using Npgsql;

namespace MicAi.Core.Outbox;

/// <summary>A "send" job: one ledger row to deliver (scheduled messages, retried replies).</summary>
public sealed class SendJobHandler(OutboundSender sender, DelayedJobs delayed) : IJobHandler
{
    public string Type => JobTypes.Send;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        // A burst to one recipient is spaced out, not failed: the same attempt comes back when the slot is near.
        if (await sender.TrySendAsync(job.Key, ct) is { } deferFor) await delayed.ScheduleAsync(job, deferFor);
    }

    /// <summary>A replayed send may go out again: its row, if it failed, goes back to pending.</summary>
    public NpgsqlBatchCommand? PrepareReplay(Job job) => OutboundLedger.ResetForReplayCommand(job.Key);
}
