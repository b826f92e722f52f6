using System.Reflection;
using System.Text.Json.Serialization;

namespace MicAi.Core.Http;

/// <summary>
/// The size limits of one member of an admin request body, declared once: <see cref="InputLimits"/> enforces them
/// (400 with field errors) and the OpenAPI document states them (maxLength, maxItems, the items' maxLength, minimum and
/// maximum; the admin OpenAPI document's schema transformer). Lengths count UTF-16 code units, never fewer than the characters a
/// person sees, so a value that passes also fits Meta's limits (WhatsApp's MetaLimits).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LimitAttribute : Attribute
{
    public const int None = -1;

    /// <summary>Longest string.</summary>
    public int MaxLength { get; set; } = None;
    /// <summary>Most items of a list.</summary>
    public int MaxItems { get; set; } = None;
    /// <summary>Longest string in a list.</summary>
    public int ItemMaxLength { get; set; } = None;
    /// <summary>Smallest and largest number (both set, or neither).</summary>
    public long Minimum { get; set; } = long.MinValue;
    public long Maximum { get; set; } = long.MaxValue;

    public bool HasRange => Minimum != long.MinValue || Maximum != long.MaxValue;

    /// <summary>The limited members of a body type with their JSON names, read once per type.</summary>
    public static IReadOnlyList<(string Name, PropertyInfo Property, LimitAttribute Limit)> Of(Type type) =>
        Cache.GetOrAdd(type, t => t.GetProperties()
            .Select(p => (p, limit: p.GetCustomAttribute<LimitAttribute>()))
            .Where(x => x.limit is not null)
            .Select(x => (x.p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? ApiJson.Options.PropertyNamingPolicy!.ConvertName(x.p.Name), x.p, x.limit!))
            .ToArray());

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, IReadOnlyList<(string, PropertyInfo, LimitAttribute)>> Cache = new();
}

/// <summary>Checks a request body against its members' <see cref="LimitAttribute"/>s, before its own validation.</summary>
public static class InputLimits
{
    public static Dictionary<string, string[]> Check(object input)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, property, limit) in LimitAttribute.Of(input.GetType()))
        {
            if (Problem(property.GetValue(input), limit) is { } problem) errors[name] = [problem];
        }
        return errors;
    }

    private static string? Problem(object? value, LimitAttribute limit) => value switch
    {
        string s when limit.MaxLength != LimitAttribute.None && s.Length > limit.MaxLength =>
            $"at most {limit.MaxLength} characters (this one has {s.Length})",
        string[] list when limit.MaxItems != LimitAttribute.None && list.Length > limit.MaxItems =>
            $"at most {limit.MaxItems} items (this list has {list.Length})",
        string[] list when limit.ItemMaxLength != LimitAttribute.None && Array.FindIndex(list, i => i.Length > limit.ItemMaxLength) is var at and >= 0 =>
            $"each item at most {limit.ItemMaxLength} characters (item {at + 1} has {list[at].Length})",
        int or long when limit.HasRange && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) is var n && (n < limit.Minimum || n > limit.Maximum) =>
            $"must be from {limit.Minimum} to {limit.Maximum}",
        _ => null,
    };
}
