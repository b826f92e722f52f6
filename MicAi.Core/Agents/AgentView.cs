namespace MicAi.Core.Agents;

// What the admin API returns about agents, contacts and conversations. Names go out in snake_case; times are UTC ISO 8601.

public sealed record AgentView(
    long Id, string Name, string Persona, string FallbackReply, bool LlmEnabled, string[] AllowedTools, bool IsDefault,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public string[] HandoverKeywords { get; init; } = [];

    public string HandoverReply { get; init; } = "";
}

public sealed record ContactView(
    string WaId, string? ProfileName, string? Phone, long? AgentId, bool OptedOut, DateTimeOffset? OptedOutAt,
    string? TimeZone, DateTimeOffset? LastInboundAt, DateTimeOffset CreatedAt)
{
    /// <summary>The newest message either way (null: none yet).</summary>
    public ContactLastMessage? LastMessage { get; init; }

    /// <summary>The newest message is the contact's: nothing was sent to them after it.</summary>
    public bool AwaitingReply { get; init; }

    /// <summary>Free text may be sent until then (the 24-hour customer-service window); null: never wrote.</summary>
    public DateTimeOffset? WindowClosesAt { get; init; }

    public bool WindowOpen { get; init; }

    public Inbox.HandoverState? Handover { get; init; }
}

/// <summary>A contact's newest message: inbound or outbound, its text (or [type]), when, its status, who wrote it (outbound).</summary>
public sealed record ContactLastMessage(string Direction, string? Text, DateTimeOffset At, string Status, string? Author);

public sealed record TurnView(
    long Id, long? AgentId, string InboundWamid, string? InboundText, string? ReplyText, long? MatchedRuleId, string Responder,
    DateTimeOffset CreatedAt);

public sealed record BindResult(string Status, string WaId, long AgentId);

// Pages: next_offset is null on the last page.
public sealed record AgentPage(AgentView[] Items, int Limit, int Offset, int? NextOffset);
public sealed record ContactPage(ContactView[] Items, int Limit, int Offset, int? NextOffset);
public sealed record TurnPage(TurnView[] Items, int Limit, int Offset, int? NextOffset);
