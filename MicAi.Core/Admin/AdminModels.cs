namespace MicAi.Core.Admin;

// What the admin API returns. Names go out in snake_case (AdminJson); times are UTC ISO 8601.

public sealed record AgentView(
    long Id, string Name, string Persona, string FallbackReply, bool LlmEnabled, string[] AllowedTools, bool IsDefault,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ContactView(
    string WaId, string? ProfileName, string? Phone, long? AgentId, bool OptedOut, DateTimeOffset? OptedOutAt,
    string? TimeZone, DateTimeOffset? LastInboundAt, DateTimeOffset CreatedAt);

public sealed record TurnView(
    long Id, long? AgentId, string InboundWamid, string? InboundText, string? ReplyText, long? MatchedRuleId, string Responder,
    DateTimeOffset CreatedAt);

public sealed record ScheduleView(
    long Id, string WaId, long? AgentId, string MessageText, string? TemplateName, string? TemplateLanguage, string? Cron,
    int? IntervalMinutes, bool OneOff, string TimeZone, DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt, bool Enabled,
    string Origin, DateTimeOffset[] NextOccurrences);

public sealed record OutboundView(
    string IdempotencyKey, string WaId, string Kind, string? Body, string? TemplateName, string Status, int Attempts,
    string? ProviderMessageId, int? ErrorCode, string? ErrorText, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt);

// Pages: next_offset is null on the last page.
public sealed record AgentPage(AgentView[] Items, int Limit, int Offset, int? NextOffset);
public sealed record ContactPage(ContactView[] Items, int Limit, int Offset, int? NextOffset);
public sealed record TurnPage(TurnView[] Items, int Limit, int Offset, int? NextOffset);
public sealed record SchedulePage(ScheduleView[] Items, int Limit, int Offset, int? NextOffset);
public sealed record OutboundPage(OutboundView[] Items, int Limit, int Offset, int? NextOffset);
