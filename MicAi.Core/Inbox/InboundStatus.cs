namespace MicAi.Core.Inbox;

/// <summary>
/// Where an inbound_messages row stands (column <c>status</c>; the text is the name in snake_case, see DbEnum):
/// Received when stored, then Processed (answered) or Ignored (never answered: a type without text, not addressed to
/// the bot, opted out). Invalid: stored as Meta sent it but unusable (no id, no sender, a bad timestamp, wrong types;
/// the reason in <c>error</c>, the raw entry in <c>payload</c>), never answered. Queued and Failed are in the schema's CHECK from the start; nothing sets them today (a job
/// that fails for good is a dead_jobs row, and the message stays Received until it is replayed).
/// </summary>
public enum InboundStatus
{
    Received,
    Queued,
    Processed,
    Ignored,
    Failed,
    Invalid,
}

public static class InboundStatuses
{
    /// <summary>Stored and still to be answered: what the worker answers and the sweeper re-enqueues.</summary>
    public static bool IsUnanswered(this InboundStatus status) => status is InboundStatus.Received or InboundStatus.Queued;
}
