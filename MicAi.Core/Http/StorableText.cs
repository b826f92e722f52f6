using System.Text.Json;

namespace MicAi.Core.Http;

/// <summary>
/// U+0000, the one character Postgres text and jsonb cannot hold. Inputs that carry it are refused at the edge (a 400
/// before any statement runs) rather than left to fail in Postgres: Npgsql 10.0.3 mishandles a statement that fails
/// while binding its parameters on the very use that auto-prepares it (it keeps the statement as prepared but with no
/// result columns), so the next run of that statement on the same pooled connection fails with "Received unexpected
/// backend message DataRow": one bad body would cost an unrelated good one a 500.
/// </summary>
public static class StorableText
{
    public const string Problem = "holds U+0000, which cannot be stored";

    public static bool HoldsNul(string? value) => value is not null && value.Contains('\0');

    /// <summary>
    /// Text MicAi itself produces from another service's answer (a model's reply, a transcript), without U+0000: it is
    /// stored and sent as a message, and a character nobody can see is not worth a failed job.
    /// </summary>
    public static string? Without(string? value) => value?.Replace("\0", "", StringComparison.Ordinal);

    /// <summary>
    /// Whether well-formed UTF-8 JSON has U+0000 in a string or a property name. JSON can carry it only escaped
    /// (a raw control character is malformed), so a body without the six bytes <c>\u0000</c> is answered by one
    /// vectorized search; only one that has them (possibly an escaped backslash before "u0000") is read token by token.
    /// </summary>
    public static bool JsonHoldsNul(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u0000"u8) < 0) return false;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4096 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && HoldsNul(reader.GetString()))
                    return true;
            }
        }
        catch (JsonException) { } // malformed: the caller's own parse reports it
        return false;
    }
}
