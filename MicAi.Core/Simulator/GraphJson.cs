using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MicAi.Core.Simulator;

/// <summary>Typed reads of a Graph request body with Graph's wording for what is missing or wrong.</summary>
internal static class GraphJson
{
    /// <summary>Graph counts characters, not UTF-16 units: an emoji is one.</summary>
    public static int Characters(string s) => s.EnumerateRunes().Count();

    /// <summary>The node's string value; null when absent or of another JSON type (never throws).</summary>
    public static string? Str(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static JsonObject? Object(JsonNode? node, string name) => node?[name] as JsonObject;

    public static JsonArray? Array(JsonNode? node, string name) => node?[name] as JsonArray;

    /// <summary>The string member, or null when absent; a member of another JSON type is a refusal.</summary>
    public static GraphRefusal? String(JsonObject node, string name, string path, out string? value)
    {
        value = null;
        if (!node.TryGetPropertyValue(name, out var v) || v is null) return null;
        if (v.GetValueKind() != JsonValueKind.String)
            return GraphErrors.InvalidParameter($"Param {path} must be a string.");
        value = v.GetValue<string>();
        return null;
    }

    /// <summary>A required, non-blank string of at most <paramref name="max"/> characters.</summary>
    public static GraphRefusal? RequiredString(JsonObject node, string name, string path, int max, out string value)
    {
        value = "";
        if (String(node, name, path, out var s) is { } wrong) return wrong;
        if (string.IsNullOrWhiteSpace(s)) return GraphErrors.Required(path);
        value = s;
        return Characters(s) > max ? GraphErrors.InvalidParameter($"Param {path} must be at most {max} characters long.") : null;
    }

    /// <summary>An optional string of at most <paramref name="max"/> characters.</summary>
    public static GraphRefusal? OptionalString(JsonObject node, string name, string path, int max, out string? value)
    {
        if (String(node, name, path, out value) is { } wrong) return wrong;
        return value is not null && Characters(value) > max
            ? GraphErrors.InvalidParameter($"Param {path} must be at most {max} characters long.")
            : null;
    }

    public static GraphRefusal? OptionalBool(JsonObject node, string name, string path) =>
        node.TryGetPropertyValue(name, out var v) && v is not null && v.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)
            ? GraphErrors.InvalidParameter($"Param {path} must be a boolean.")
            : null;

    public static GraphRefusal? RequiredNumber(JsonObject node, string name, string path)
    {
        if (!node.TryGetPropertyValue(name, out var v) || v is null) return GraphErrors.Required(path);
        var ok = v.GetValueKind() == JsonValueKind.Number
                 || (v.GetValueKind() == JsonValueKind.String && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return ok ? null : GraphErrors.InvalidParameter($"Param {path} must be a number.");
    }

    /// <summary>One of <paramref name="allowed"/> (compared case-insensitively, as Graph does for enums).</summary>
    public static GraphRefusal? OneOf(string? value, string path, IReadOnlyList<string> allowed) =>
        value is not null && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase)
            ? GraphErrors.InvalidParameter($"Param {path} must be one of {{{string.Join(", ", allowed.Select(a => a.ToUpperInvariant()))}}} - got \"{value}\".")
            : null;
}
