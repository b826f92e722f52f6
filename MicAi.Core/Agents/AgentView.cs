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
    string? TimeZone, DateTimeOffset? LastInboundAt, DateTimeOffset CreatedAt);

public sealed record TurnView(
    long Id, long? AgentId, string InboundWamid, string? InboundText, string? ReplyText, long? MatchedRuleId, string Responder,
    DateTimeOffset CreatedAt);

public sealed record BindResult(string Status, string WaId, long AgentId);

// Pages: next_offset is null on the last page.
public sealed record AgentPage(AgentView[] Items, int Limit, int Offset, int? NextOffset);
public sealed record ContactPage(ContactView[] Items, int Limit, int Offset, int? NextOffset);
public sealed record TurnPage(TurnView[] Items, int Limit, int Offset, int? NextOffset);
