using System.Globalization;
using System.Text.Json;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// Tolerant accessors over Meta payloads: a missing property or one of an unexpected kind reads as null, so an
/// unknown shape is skipped instead of throwing (JsonElement.GetString throws on the wrong kind).
/// </summary>
internal static class JsonRead
{
    /// <summary>Parses a Graph/webhook body (UTF-8, optional BOM, depth-limited); null instead of throwing.</summary>
    public static JsonDocument? TryParse(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8)) body = body[3..];
        // JsonDocument defers UTF-8 validation of strings to GetString (which then throws): check up front.
        if (!System.Text.Unicode.Utf8.IsValid(body)) return null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = WebhookParser.MaxDepth });
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;

    public static JsonElement? Obj(this JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.Object } v ? v : null;

    public static IEnumerable<JsonElement> Arr(this JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray() : [];

    public static IEnumerable<JsonElement> Objects(this JsonElement e, string name) =>
        e.Arr(name).Where(x => x.ValueKind == JsonValueKind.Object);

    public static string? Str(this JsonElement e, string name)
    {
        if (e.Prop(name) is not { ValueKind: JsonValueKind.String } v) return null;
        try
        {
            return v.GetString();
        }
        catch (InvalidOperationException)
        {
            return null; // an escaped lone surrogate ("\udc00") cannot become a .NET string
        }
    }

    /// <summary>A string property, treating "" as absent (Meta sends empty <c>from</c>/<c>wa_id</c> for username users).</summary>
    public static string? NonEmpty(this JsonElement e, string name) => e.Str(name) is { Length: > 0 } s ? s : null;

    public static bool Bool(this JsonElement e, string name) => e.Prop(name) is { ValueKind: JsonValueKind.True };

    /// <summary>An integer sent as a JSON number or as a numeric string.</summary>
    public static long? Long(this JsonElement e, string name) => e.Prop(name) switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        { ValueKind: JsonValueKind.String } v when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public static int? Int(this JsonElement e, string name) =>
        e.Long(name) is { } n && n is >= int.MinValue and <= int.MaxValue ? (int)n : null;

    /// <summary>A decimal sent as a JSON number or a numeric string (prices: never via double).</summary>
    public static decimal? Decimal(this JsonElement e, string name) => e.Prop(name) switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetDecimal(out var d) => d,
        { ValueKind: JsonValueKind.String } v when decimal.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    public static double? Double(this JsonElement e, string name) => e.Prop(name) switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetDouble(out var d) => d,
        { ValueKind: JsonValueKind.String } v when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>Meta timestamps are Unix seconds, usually as strings.</summary>
    public static DateTimeOffset? UnixSeconds(this JsonElement e, string name) =>
        e.Long(name) is { } s && s >= 0 && s <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
}
