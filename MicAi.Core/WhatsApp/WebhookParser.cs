using System.Text.Json;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// Flattens a WhatsApp webhook body into a <see cref="WebhookBatch"/>. Pure and total: any input yields a result,
/// never an exception. Only the envelope is strict (an object with <c>object = "whatsapp_business_account"</c> and an
/// <c>entry</c> array, else Invalid → 400); inside it, unknown fields, types and shapes are skipped so Meta's
/// additions never fail a delivery, and a message that cannot be used (no id, no sender, a bad timestamp, wrong types)
/// is kept with its reason (<see cref="InboundMessage.InvalidReason"/>), never dropped. Call only after <see cref="WebhookSignature.Verify"/>.
/// </summary>
public static class WebhookParser
{
    /// <summary>Nesting limit for webhook bodies (real ones are about 10 deep); deeper is rejected as invalid.</summary>
    public const int MaxDepth = 64;

    /// <summary>Why a body with U+0000 anywhere is refused whole: its payload is stored as jsonb, which cannot hold it.</summary>
    public const string NulProblem = "body holds characters that cannot be stored (U+0000)";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    public static WebhookParseResult Parse(ReadOnlyMemory<byte> body)
    {
        // JsonDocument defers UTF-8 validation of strings to GetString: reject bad bytes up front.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span)) return WebhookParseResult.Invalid("body is not valid UTF-8");
        try
        {
            using var doc = JsonDocument.Parse(body, Options);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return WebhookParseResult.Invalid("body is not a JSON object");
            if (root.Str("object") != "whatsapp_business_account")
                return WebhookParseResult.Invalid("object is not whatsapp_business_account");
            if (root.Prop("entry") is not { ValueKind: JsonValueKind.Array } entries)
                return WebhookParseResult.Invalid("entry is missing or not an array");
            if (Http.StorableText.JsonHoldsNul(body.Span)) return WebhookParseResult.Invalid(NulProblem);
            return new(Flatten(entries), null);
        }
        catch (JsonException ex)
        {
            return WebhookParseResult.Invalid($"body is not valid JSON: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The contract is "never throws": a shape the tolerant readers missed is still a 400, not a 500.
            return WebhookParseResult.Invalid($"unreadable body: {ex.GetType().Name}");
        }
    }

    private static WebhookBatch Flatten(JsonElement entries)
    {
        var messages = new List<InboundMessage>();
        var statuses = new List<StatusUpdate>();
        var errors = new List<WebhookError>();
        var echoes = new List<MessageEcho>();
        var skipped = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            foreach (var change in entry.Objects("changes"))
            {
                if (change.Obj("value") is not { } value) continue;
                var phoneNumberId = value.Obj("metadata")?.Str("phone_number_id") ?? "";
                if (change.Str("field") == "smb_message_echoes")
                {
                    foreach (var e in value.Objects("message_echoes"))
                    {
                        if (ReadEcho(e, phoneNumberId) is { } echo) echoes.Add(echo); else skipped++;
                    }
                    continue;
                }
                // Other subscribed fields (template status, quality, account updates) carry no chat traffic.
                if (change.Str("field") != "messages") continue;
                foreach (var m in value.Arr("messages"))
                {
                    messages.Add(ReadMessage(m, value, phoneNumberId, entry)); // valid or not: stored, never dropped
                    errors.AddRange(m.Objects("errors").Select(ReadError));
                }
                foreach (var s in value.Objects("statuses"))
                {
                    if (ReadStatus(s) is { } st) statuses.Add(st); else skipped++;
                }
                errors.AddRange(value.Objects("errors").Select(ReadError));
            }
        }
        return new WebhookBatch(messages, statuses, errors) { Skipped = skipped, Echoes = echoes };
    }

    private static MessageEcho? ReadEcho(JsonElement e, string phoneNumberId)
    {
        if (e.NonEmpty("id") is not { } wamid || e.NonEmpty("to")?.TrimStart('+') is not { Length: > 0 } to
            || e.UnixSeconds("timestamp") is not { } timestamp)
            return null;
        return new MessageEcho(wamid, phoneNumberId, to, e.NonEmpty("type") ?? "unknown", InboundText.Describe(e).Text, timestamp);
    }

    private static InboundMessage ReadMessage(JsonElement m, JsonElement value, string phoneNumberId, JsonElement entry)
    {
        if (m.ValueKind != JsonValueKind.Object) return Invalid(m, entry, phoneNumberId, default, $"the message is not a JSON object");
        var who = MessageIdentity.Read(m, value);
        if (who.Problem is not null) return Invalid(m, entry, phoneNumberId, who, who.Problem);

        var view = InboundText.Describe(m);
        return new InboundMessage(
            Wamid: who.Wamid!,
            PhoneNumberId: phoneNumberId,
            WaId: who.WaId!,
            Phone: who.Phone,
            UserId: who.UserId,
            ProfileName: who.Contact?.Obj("profile")?.NonEmpty("name"),
            Type: m.NonEmpty("type") ?? "unknown",
            AgentText: view.Text,
            Answerable: view.Answerable,
            Timestamp: who.Timestamp,
            // A forwarded message has a context without id: that is not a reply.
            ContextMessageId: m.Obj("context")?.NonEmpty("id"),
            Json: m.GetRawText())
        { ReplyId = view.ReplyId };
    }

    /// <summary>
    /// A message MicAi cannot use, kept as Meta sent it: the whole entry as its payload and the reason, under its sender
    /// when known (so the contact's timeline shows it); stored invalid and never answered.
    /// </summary>
    private static InboundMessage Invalid(JsonElement m, JsonElement entry, string phoneNumberId, MessageIdentity who, string reason) => new(
        Wamid: MessageIdentity.InvalidKey(who.Wamid, phoneNumberId, m.GetRawText()),
        PhoneNumberId: phoneNumberId,
        WaId: who.WaId ?? "",
        Phone: who.Phone,
        UserId: who.UserId,
        ProfileName: who.Contact?.Obj("profile")?.NonEmpty("name"),
        Type: m.ValueKind == JsonValueKind.Object ? m.NonEmpty("type") ?? "unknown" : "unknown",
        AgentText: null,
        Answerable: false,
        Timestamp: who.Timestamp,
        ContextMessageId: null,
        Json: InvalidPayload(entry, m))
    { InvalidReason = reason };

    /// <summary>The raw entry; when it is huge, the message alone, or the start of it as a JSON string (a bounded row).</summary>
    private static string InvalidPayload(JsonElement entry, JsonElement m)
    {
        if (entry.GetRawText() is { Length: <= MetaLimits.InvalidPayloadChars } whole) return whole;
        var message = m.GetRawText();
        return message.Length <= MetaLimits.InvalidPayloadChars ? message : JsonSerializer.Serialize(message[..MetaLimits.InvalidPayloadChars]);
    }

    private static StatusUpdate? ReadStatus(JsonElement s)
    {
        if (s.NonEmpty("id") is not { } id || s.NonEmpty("status") is not { } status || s.UnixSeconds("timestamp") is not { } ts)
            return null;
        var error = s.Objects("errors").FirstOrDefault();
        var hasError = error.ValueKind == JsonValueKind.Object;
        return new StatusUpdate(
            ProviderMessageId: id,
            Status: status,
            RecipientId: s.NonEmpty("recipient_id") ?? s.NonEmpty("recipient_user_id") ?? "",
            Timestamp: ts,
            CallbackData: s.Str("biz_opaque_callback_data"),
            ErrorCode: hasError ? error.Int("code") : null,
            ErrorTitle: hasError ? error.NonEmpty("title") ?? error.Str("message") : null);
    }

    private static WebhookError ReadError(JsonElement e) =>
        new(e.Int("code") ?? 0, e.NonEmpty("title") ?? e.Str("message") ?? "", e.Obj("error_data")?.Str("details"));
}
