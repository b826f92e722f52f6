namespace MicAi.Core.WhatsApp;

/// <summary>What one webhook POST carried, flattened over entry[] × changes[].</summary>
public sealed record WebhookBatch(
    IReadOnlyList<InboundMessage> Messages,
    IReadOnlyList<StatusUpdate> Statuses,
    IReadOnlyList<WebhookError> Errors)
{
    /// <summary>Statuses dropped because they lacked an id, status or timestamp (logged; messages are never dropped).</summary>
    public int Skipped { get; init; }

    /// <summary>Messages a person sent from the WhatsApp Business app (coexistence, field <c>smb_message_echoes</c>).</summary>
    public IReadOnlyList<MessageEcho> Echoes { get; init; } = [];
}

/// <summary>
/// A message the business sent from the WhatsApp Business app or a linked device, echoed by Meta
/// (<c>smb_message_echoes</c>: <c>value.message_echoes[]</c> with <c>from</c> = the business number, <c>to</c> = the
/// customer's number, possibly with a leading +). <see cref="WaId"/> is <c>to</c> without the +.
/// </summary>
public sealed record MessageEcho(string Wamid, string PhoneNumberId, string WaId, string Type, string? Text, DateTimeOffset Timestamp);

/// <summary>
/// One inbound message. <see cref="WaId"/> is the stable contact identity: the phone-based wa_id, or the
/// business-scoped user id when Meta hides the phone. <see cref="AgentText"/> is what the agent sees;
/// <see cref="Answerable"/> false means stored but never answered (reactions, system, unknown types).
/// <see cref="Json"/> is the message object exactly as Meta sent it, for the payload column; for an invalid message
/// (<see cref="InvalidReason"/> set) the whole entry it came in, its key <see cref="Wamid"/> derived when it had no id,
/// <see cref="WaId"/> "" when no sender is known and <see cref="Timestamp"/> null when it had none that can be read.
/// </summary>
public sealed record InboundMessage(
    string Wamid,
    string PhoneNumberId,
    string WaId,
    string? Phone,
    string? UserId,
    string? ProfileName,
    string Type,
    string? AgentText,
    bool Answerable,
    DateTimeOffset? Timestamp,
    string? ContextMessageId,
    string Json)
{
    /// <summary>
    /// Machine id to route on when the user tapped something we sent: interactive button/list reply id,
    /// template quick-reply payload, or a WhatsApp Flow's flow_token. Null otherwise. See <see cref="InboundText"/>.
    /// </summary>
    public string? ReplyId { get; init; }

    /// <summary>Why MicAi cannot use this message (bad timestamp, missing or malformed id or sender …); null when it can.</summary>
    public string? InvalidReason { get; init; }
}

/// <summary>A delivery status for a message we sent (sent, delivered, read, played, failed, or anything new).</summary>
public sealed record StatusUpdate(
    string ProviderMessageId,
    string Status,
    string RecipientId,
    DateTimeOffset Timestamp,
    string? CallbackData,
    int? ErrorCode,
    string? ErrorTitle);

/// <summary>An out-of-band error Meta reported in value.errors or messages[].errors.</summary>
public sealed record WebhookError(int Code, string Title, string? Details);

/// <summary>Result of parsing: a batch, or why the body is not a WhatsApp envelope (→ 400).</summary>
public readonly record struct WebhookParseResult(WebhookBatch? Batch, string? Error)
{
    public bool IsValid => Batch is not null;
    public static WebhookParseResult Invalid(string error) => new(null, error);
}
