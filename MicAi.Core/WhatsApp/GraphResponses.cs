using System.Text.Json;

namespace MicAi.Core.WhatsApp;

/// <summary>The part of a successful send we keep: the outbound wamid, and Meta's message_status when present.</summary>
public sealed record SendAccepted(string MessageId, string? MessageStatus);

/// <summary>Readers for Graph 200 bodies. Tolerant like the webhook parser: unexpected shapes give null/false.</summary>
public static class GraphResponses
{
    /// <summary><c>messages[0].id</c> (+ <c>message_status</c>, e.g. "accepted") of a send response; null if absent.</summary>
    public static SendAccepted? ParseSend(ReadOnlySpan<byte> body)
    {
        using var doc = JsonRead.TryParse(body);
        var first = doc?.RootElement.Objects("messages").FirstOrDefault() ?? default;
        return first.ValueKind == JsonValueKind.Object && first.NonEmpty("id") is { } id
            ? new SendAccepted(id, first.Str("message_status"))
            : null;
    }

    /// <summary><c>{"success": true}</c>, as returned by mark-as-read.</summary>
    public static bool IsSuccess(ReadOnlySpan<byte> body)
    {
        using var doc = JsonRead.TryParse(body);
        return doc?.RootElement.Bool("success") == true;
    }
}
