using System.Text.Json;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Media;

/// <summary>
/// A media object as an inbound message names it (<c>messages[].image|audio|video|document|sticker</c>): Meta's media
/// id, the type and what Meta said of the file; the bytes are fetched later through Graph.
/// </summary>
public sealed record MediaRef(
    string MediaId, string Wamid, string WaId, string PhoneNumberId, string Type,
    string? MimeType, string? Sha256, string? Caption, string? Filename, bool Voice)
{
    public static readonly string[] Types = ["image", "audio", "video", "document", "sticker"];

    /// <summary>The media of a message, from its type and the object under that type; null when it carries none.</summary>
    public static MediaRef? From(string wamid, string waId, string phoneNumberId, string type, string? objectJson)
    {
        if (objectJson is null || !Types.Contains(type)) return null;
        using var doc = JsonDocument.Parse(objectJson);
        var o = doc.RootElement;
        if (o.NonEmpty("id") is not { } id) return null;
        return new(id, wamid, waId, phoneNumberId, type, o.Str("mime_type"), o.Str("sha256"), o.NonEmpty("caption"),
            o.NonEmpty("filename"), type == "audio" && o.Bool("voice"));
    }
}
