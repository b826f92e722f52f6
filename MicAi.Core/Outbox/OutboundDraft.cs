namespace MicAi.Core.Outbox;

/// <summary>A message we intend to send, before it reaches the ledger. The idempotency key names it for life.</summary>
public sealed record OutboundDraft(
    string IdempotencyKey,
    string WaId,
    string PhoneNumberId,
    string Kind,
    string? Body,
    string? ContextMessageId = null,
    string? TemplateName = null,
    string? TemplateLanguage = null,
    IReadOnlyList<string>? TemplateParams = null)
{
    public static string ReplyKey(string wamid) => "reply:" + wamid;
    public static string ScheduleKey(long scheduleId, DateTimeOffset occurrence) => $"schedule:{scheduleId}:{occurrence.ToUnixTimeSeconds()}";
}

/// <summary>A ledger row claimed for sending, with what the send-time gates need.</summary>
public sealed record ClaimedSend(
    string IdempotencyKey, string WaId, string PhoneNumberId, string Kind, string? Body, string? ContextMessageId,
    string? TemplateName, string? TemplateLanguage, string[]? TemplateParams, int Attempts,
    DateTimeOffset? LastInboundAt, bool OptedOut);
