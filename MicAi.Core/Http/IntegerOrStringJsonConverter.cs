using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicAi.Core.Http;

/// <summary>
/// An id that may come as a JSON number (MicAi's ids) or a string (the Python service's, such as <c>default-agent</c>),
/// read as its text. The OpenAPI document shows such a property as <c>type: [integer, string]</c>
/// (<c>Admin/AdminOpenApi</c>), so clients see that both are accepted.
/// </summary>
public sealed class IntegerOrStringJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number when reader.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException("must be a whole number or a string"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
