using MicAi.Core.WhatsApp;

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
    /// <summary>Who wrote it: the responder (rule, tool:weather, llm, fallback, help, handover …), operator, schedule, remind.</summary>
    public string? Author { get; init; }

    /// <summary>Operator sends: the SHA-256 of the request, so a repeated Idempotency-Key with another body is refused.</summary>
    public string? RequestHash { get; init; }

    /// <summary>An operator's explicit resend: the key of the 'unknown' row it replaces.</summary>
    public string? ResendOf { get; init; }

    /// <summary>For a message beyond text (<see cref="Kind"/> interactive, image, document …): Graph's object for it.</summary>
    public string? Content { get; init; }

    /// <summary>A template's header, body and button parameters (with <see cref="Kind"/> template); body-only sends may use TemplateParams.</summary>
    public TemplateMessage? Template { get; init; }

    /// <summary>A reply that is not plain text: its kind is Graph's message type, its body the text a turn records.</summary>
    public static OutboundDraft Rich(string key, string waId, string phoneNumberId, OutboundContent content, string body, string? contextMessageId) =>
        new(key, waId, phoneNumberId, content.Type, body, contextMessageId) { Content = content.Json };

    /// <summary>What every reply's key starts with: reply:{wamid}.</summary>
    public const string ReplyPrefix = "reply:";

    public static string ReplyKey(string wamid) => ReplyPrefix + wamid;

    /// <summary>The key of part <paramref name="part"/> (1-based) of a split message: the base key, then base#2, base#3 …</summary>
    public static string PartKey(string baseKey, int part) => part == 1 ? baseKey : $"{baseKey}#{part}";

    /// <summary>
    /// A text longer than WhatsApp's body limit as ordered drafts, each its own ledger row and idempotency key, split
    /// on word boundaries by <see cref="MessageSplitter"/>. Only the first part quotes the message it answers.
    /// </summary>
    public IReadOnlyList<OutboundDraft> SplitText()
    {
        if (Kind != "text" || Body is null || Body.Length <= MessageSplitter.MaxTextLength) return [this];
        var parts = MessageSplitter.Split(Body);
        return parts.Select((body, i) => this with
        {
            IdempotencyKey = PartKey(IdempotencyKey, i + 1),
            Body = body,
            ContextMessageId = i == 0 ? ContextMessageId : null,
        }).ToArray();
    }
    public static string ScheduleKey(long scheduleId, DateTimeOffset occurrence) => $"schedule:{scheduleId}:{occurrence.ToUnixTimeSeconds()}";
}

/// <summary>A ledger row claimed for sending, with what the send-time gates need.</summary>
public sealed record ClaimedSend(
    string IdempotencyKey, string WaId, string PhoneNumberId, string Kind, string? Body, string? ContextMessageId,
    string? TemplateName, string? TemplateLanguage, string[]? TemplateParams, int Attempts,
    DateTimeOffset? LastInboundAt, bool OptedOut)
{
    /// <summary>Graph's object for a message beyond text (see <see cref="OutboundDraft.Content"/>).</summary>
    public string? Content { get; init; }

    /// <summary>The template's header, body and button parameters, when the row has more than body text.</summary>
    public TemplateMessage? Template { get; init; }

    /// <summary>A draft as the row it becomes when stored already claimed (<see cref="OutboundSender.TryReserveAsync"/>).</summary>
    public static ClaimedSend FirstAttempt(OutboundDraft d, DateTimeOffset? lastInboundAt) =>
        new(d.IdempotencyKey, d.WaId, d.PhoneNumberId, d.Kind, d.Body, d.ContextMessageId, d.TemplateName, d.TemplateLanguage,
            d.TemplateParams?.ToArray(), Attempts: 1, lastInboundAt, OptedOut: false) { Content = d.Content, Template = d.Template };
}

/// <summary>A send that passed the gates and holds its phone slot: claim the row, then call Graph (or release the slot).</summary>
public sealed record ReservedSend(ClaimedSend Send, string PhoneNumberId, string Slot)
{
    /// <summary>True when the window turned a free-form send into a template (the row is updated to say so).</summary>
    public bool IsFallback { get; init; }
}
