namespace MicAi.Core.Outbox;

/// <summary>
/// Where an outbound_messages row stands (column <c>status</c>; the text is the name in snake_case, see DbEnum).
/// Pending → Sending (claimed: the only state in which Graph is called) → Sent → Delivered → Read; Retrying goes back
/// to Sending; Failed, Suppressed (kill switch), Skipped (opted out, window closed) and Unknown (the worker died during
/// the call; never re-sent, a status webhook settles it) end a row.
/// </summary>
public enum OutboundStatus
{
    Pending,
    Sending,
    Retrying,
    Sent,
    Delivered,
    Read,
    Failed,
    Suppressed,
    Skipped,
    Unknown,
}

public static class OutboundStatuses
{
    /// <summary>
    /// The ledger status a delivery status from Meta moves a row to: sent, delivered, read, failed (and played, a
    /// voice note's first playback: at least read). Null for a status the ledger does not track.
    /// </summary>
    public static OutboundStatus? FromDelivery(string status) => status switch
    {
        "sent" => OutboundStatus.Sent,
        "delivered" => OutboundStatus.Delivered,
        "read" or "played" => OutboundStatus.Read,
        "failed" => OutboundStatus.Failed,
        _ => null,
    };
}
