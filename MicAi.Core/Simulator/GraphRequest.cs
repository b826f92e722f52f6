using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static MicAi.Core.Simulator.GraphJson;

namespace MicAi.Core.Simulator;

/// <summary>What a valid <c>POST /{version}/{phone-number-id}/messages</c> asks for.</summary>
public abstract record GraphCall;

/// <summary>Mark an inbound message read (and show "typing…").</summary>
public sealed record MarkReadCall(string MessageId, bool Typing) : GraphCall;

/// <summary>Send a message to <see cref="To"/> (a phone number or a BSUID); <see cref="Bubble"/> is how it shows.</summary>
public sealed record SendCall(string To, bool ToUserId, SimMessage Bubble) : GraphCall;

/// <summary>
/// Reads a messages request as the Cloud API does and refuses, with Graph's error, what Graph refuses: a missing or
/// wrong <c>messaging_product</c>, no recipient, an unknown <c>type</c>, a type without its object, a text body over
/// 4,096 characters, a template without name or language, malformed interactive, media, location, contacts and
/// reaction objects, and callback data over 512 characters (see MessageContent for the per-type rules).
/// </summary>
public static partial class GraphRequest
{
    public const int MaxTextBody = 4096;
    public const int MaxCallbackData = 512;

    public static readonly IReadOnlyList<string> Types =
        ["audio", "contacts", "document", "image", "interactive", "location", "reaction", "sticker", "template", "text", "video"];

    /// <summary>A refusal, or the call; never throws on any input.</summary>
    public static (GraphRefusal? Refusal, GraphCall? Call) Parse(ReadOnlySpan<byte> body)
    {
        JsonObject? root;
        if (!System.Text.Unicode.Utf8.IsValid(body)) return (GraphErrors.InvalidParameter("The request body must be UTF-8."), null);
        try { root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject; }
        catch (JsonException) { root = null; }
        if (root is null) return (GraphErrors.InvalidParameter("The request body must be a JSON object."), null);

        if (String(root, "messaging_product", "messaging_product", out var product) is { } wrongProduct) return (wrongProduct, null);
        if (product is null) return (GraphErrors.Required("messaging_product"), null);
        if (OneOf(product, "messaging_product", ["whatsapp"]) is { } notWhatsApp) return (notWhatsApp, null);

        return root.ContainsKey("status") ? ParseMarkRead(root) : ParseSend(root);
    }

    private static (GraphRefusal?, GraphCall?) ParseMarkRead(JsonObject root)
    {
        if (String(root, "status", "status", out var status) is { } wrong) return (wrong, null);
        if (OneOf(status, "status", ["read"]) is { } notRead) return (notRead, null);
        if (RequiredString(root, "message_id", "message_id", 512, out var messageId) is { } noId) return (noId, null);
        var typing = Object(root, "typing_indicator");
        if (root["typing_indicator"] is not null && typing is null)
            return (GraphErrors.InvalidParameter("Param typing_indicator must be an object."), null);
        if (typing is not null && (RequiredString(typing, "type", "typing_indicator['type']", 16, out var kind) ?? OneOf(kind, "typing_indicator['type']", ["text"])) is { } badTyping)
            return (badTyping, null);
        return (null, new MarkReadCall(messageId, typing is not null));
    }

    private static (GraphRefusal?, GraphCall?) ParseSend(JsonObject root)
    {
        if ((String(root, "recipient_type", "recipient_type", out var recipientType) ?? OneOf(recipientType, "recipient_type", ["individual"])) is { } badType)
            return (badType, null);
        if (String(root, "to", "to", out var to) is { } badTo) return (badTo, null);
        if (String(root, "recipient", "recipient", out var recipient) is { } badRecipient) return (badRecipient, null);
        var target = string.IsNullOrWhiteSpace(to) ? recipient : to;
        if (string.IsNullOrWhiteSpace(target)) return (GraphErrors.Required("to"), null);
        target = target.Trim();
        var isUserId = BusinessScopedUserId().IsMatch(target);
        if (!isUserId && !PhoneNumber().IsMatch(target))
            return (GraphErrors.InvalidParameter($"Param to must be a phone number or a business-scoped user id - got \"{target}\"."), null);

        if (String(root, "type", "type", out var type) is { } badKind) return (badKind, null);
        type ??= "text"; // Graph's default
        if (OneOf(type, "type", Types) is { } unknown) return (unknown, null);
        type = type.ToLowerInvariant();

        string? contextId = null;
        if (root["context"] is { } context)
        {
            if (context is not JsonObject contextObject) return (GraphErrors.InvalidParameter("Param context must be an object."), null);
            if (RequiredString(contextObject, "message_id", "context['message_id']", 512, out var id) is { } noContextId) return (noContextId, null);
            contextId = id;
        }
        if (OptionalString(root, "biz_opaque_callback_data", "biz_opaque_callback_data", MaxCallbackData, out var callback) is { } badCallback)
            return (badCallback, null);

        if (root[type] is not JsonObject && !(type == "contacts" && root[type] is JsonArray))
            return (GraphErrors.Required(type), null);
        var (refusal, bubble) = MessageContent.Read(type, root);
        if (refusal is not null) return (refusal, null);
        return (null, new SendCall(target, isUserId, bubble! with { ContextWamid = contextId, CallbackData = callback }));
    }

    /// <summary>Digits with an optional leading +, as Graph accepts them; spaces, dashes and brackets are formatting.</summary>
    [GeneratedRegex(@"^\+?[0-9][0-9 ()\-]{5,19}$")]
    private static partial Regex PhoneNumber();

    /// <summary>ISO country code, a dot, optionally ENT. (a parent BSUID), then up to 128 alphanumerics.</summary>
    [GeneratedRegex(@"^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$")]
    private static partial Regex BusinessScopedUserId();
}
