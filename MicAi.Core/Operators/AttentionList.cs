using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;

namespace MicAi.Core.Operators;

/// <summary>
/// GET /admin/attention: what needs a person, each list newest first (at most <c>limit</c> each). <c>unknown_sends</c>:
/// outcome unknown for longer than MICAI_ATTENTION_UNKNOWN_MINUTES and not resent (resolve them: mark_failed or
/// resend); <c>failed_sends</c>: failed in the last 24 hours; <c>dead_jobs</c>: not replayed; <c>handovers_waiting</c>:
/// customers who asked for a person and got no operator message since; <c>unanswered</c>: per contact, the latest
/// message of the last 24 hours nobody answered.
/// </summary>
public sealed record AttentionView(
    OutboundView[] UnknownSends, OutboundView[] FailedSends, DeadJob[] DeadJobs, HandoverState[] HandoversWaiting,
    UnansweredMessage[] Unanswered)
{
    public int Total => UnknownSends.Length + FailedSends.Length + DeadJobs.Length + HandoversWaiting.Length + Unanswered.Length;
}

public sealed class AttentionList(
    OutboundLedger ledger, DeadJobStore deadJobs, HandoverStore handovers, InboundStore inbound, OutboundSettings settings, TimeProvider time)
{
    /// <summary>A message still waiting for the bot this long is in flight, not forgotten.</summary>
    public static readonly TimeSpan InFlight = TimeSpan.FromMinutes(1);

    public async Task<AttentionView> ReadAsync(int limit, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var day = now - TimeSpan.FromHours(24);
        var sends = await ledger.NeedingAttentionAsync(now - settings.UnknownAttentionAfter, day, limit * 2, ct);
        return new AttentionView(
            [.. sends.Where(s => s.Status == OutboundStatus.Unknown).Take(limit)],
            [.. sends.Where(s => s.Status == OutboundStatus.Failed).Take(limit)],
            [.. await deadJobs.ListOpenAsync(limit, ct)],
            [.. await handovers.WaitingAsync(now, limit, ct)],
            [.. await inbound.UnansweredAsync(day, now - InFlight, limit, ct)]);
    }
}
