using System.Text.Json;

namespace MicAi.Core.Storage;

/// <summary>
/// A state column's text for an enum value: the member name in snake_case (<c>Pending</c> → <c>pending</c>), the
/// values the migrations' CHECK constraints list (StateTypeTests holds the two together). Computed once per enum.
/// </summary>
public static class DbEnum<T> where T : struct, Enum
{
    private static readonly T[] Values = Enum.GetValues<T>();
    private static readonly string[] Names = [.. Values.Select(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()))];

    /// <summary>Every value's text, in declaration order.</summary>
    public static IReadOnlyList<string> All => Names;

    public static string Name(T value) => Names[Array.IndexOf(Values, value)];

    /// <summary>
    /// SQL literals for a fixed set of states (<c>'pending', 'retrying'</c>), for statements built once: a literal, not
    /// a parameter, so the planner can match the partial indexes whose predicates name the same states.
    /// </summary>
    public static string Sql(params T[] values) => string.Join(", ", values.Select(v => $"'{Name(v)}'"));

    public static bool TryParse(string? text, out T value)
    {
        var i = text is null ? -1 : Array.IndexOf(Names, text);
        value = i >= 0 ? Values[i] : default;
        return i >= 0;
    }

    public static T Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(T).Name} ({string.Join(", ", Names)})");
}

public static class DbEnumExtensions
{
    /// <summary>The column text for a state (<c>OutboundStatus.Pending.ToDb()</c> is <c>"pending"</c>).</summary>
    public static string ToDb<T>(this T value) where T : struct, Enum => DbEnum<T>.Name(value);
}
