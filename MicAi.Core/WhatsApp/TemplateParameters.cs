using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// An approved template with its parameters, the one shape rules, schedules and operator sends use:
/// <c>{"name", "language", "body_params", "header_params", "button_params"}</c>. Rendered into Graph's
/// <c>template.components</c> by <see cref="TemplateComponents"/>.
/// </summary>
public sealed record TemplateMessage
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("language")] public string? Language { get; init; }
    [JsonPropertyName("body_params")] public string[]? BodyParams { get; init; }
    [JsonPropertyName("header_params")] public HeaderParam[]? HeaderParams { get; init; }
    [JsonPropertyName("button_params")] public ButtonParam[]? ButtonParams { get; init; }

    /// <summary>Only the parameters (what the ledger's template_params keeps).</summary>
    [JsonIgnore] public TemplateMessage ParametersOnly => this with { Name = null, Language = null };

    [JsonIgnore] public bool HasParameters => BodyParams is { Length: > 0 } || HeaderParams is { Length: > 0 } || ButtonParams is { Length: > 0 };

    /// <summary>
    /// The parameters operator sends and schedules take as positional texts and <see cref="TemplateButton"/>s, or null
    /// when there is nothing beyond body text (the ledger then keeps body parameters as it always did).
    /// </summary>
    public static TemplateMessage? WithHeaderOrButtons(string[]? body, string[]? header, IReadOnlyList<TemplateButton>? buttons) =>
        header is not { Length: > 0 } && buttons is not { Count: > 0 } ? null : new TemplateMessage
        {
            BodyParams = body,
            HeaderParams = header?.Select(h => new HeaderParam("text", Text: h)).ToArray(),
            ButtonParams = buttons?.Select(b => b.SubType == "url"
                ? new ButtonParam(b.Index, b.SubType, Text: b.Value) : new ButtonParam(b.Index, b.SubType, Payload: b.Value)).ToArray(),
        };
}

/// <summary>
/// A header parameter: a string is text; an object is <c>{"type": "text", "text"}</c> or
/// <c>{"type": "image"|"document"|"video", "link" | "id", "filename"?}</c>.
/// </summary>
[JsonConverter(typeof(HeaderParamConverter))]
public sealed record HeaderParam(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("text")] string? Text = null,
    [property: JsonPropertyName("link")] string? Link = null,
    [property: JsonPropertyName("id")] string? Id = null,
    [property: JsonPropertyName("filename")] string? Filename = null)
{
    public static readonly string[] Types = ["text", "image", "document", "video"];
}

/// <summary>
/// A button parameter: a string is the quick-reply payload of the button at its position; an object is
/// <c>{"index", "sub_type": "quick_reply", "payload"}</c> or <c>{"index", "sub_type": "url", "text"}</c> (the URL's
/// dynamic suffix).
/// </summary>
[JsonConverter(typeof(ButtonParamConverter))]
public sealed record ButtonParam(
    [property: JsonPropertyName("index")] int? Index,
    [property: JsonPropertyName("sub_type")] string SubType,
    [property: JsonPropertyName("payload")] string? Payload = null,
    [property: JsonPropertyName("text")] string? Text = null);

internal sealed class HeaderParamConverter : JsonConverter<HeaderParam>
{
    public override HeaderParam? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return new HeaderParam("text", Text: reader.GetString());
        using var doc = JsonDocument.ParseValue(ref reader);
        var o = doc.RootElement;
        if (o.ValueKind != JsonValueKind.Object) throw new JsonException("a header parameter is a string or an object");
        return new HeaderParam(o.Str("type") ?? "text", o.Str("text"), o.Str("link"), o.Str("id"), o.Str("filename"));
    }

    public override void Write(Utf8JsonWriter writer, HeaderParam value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("type", value.Type);
        if (value.Text is not null) writer.WriteString("text", value.Text);
        if (value.Link is not null) writer.WriteString("link", value.Link);
        if (value.Id is not null) writer.WriteString("id", value.Id);
        if (value.Filename is not null) writer.WriteString("filename", value.Filename);
        writer.WriteEndObject();
    }
}

internal sealed class ButtonParamConverter : JsonConverter<ButtonParam>
{
    public override ButtonParam? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return new ButtonParam(null, "quick_reply", Payload: reader.GetString());
        using var doc = JsonDocument.ParseValue(ref reader);
        var o = doc.RootElement;
        if (o.ValueKind != JsonValueKind.Object) throw new JsonException("a button parameter is a string or an object");
        var index = o.Prop("index") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var i) ? i : (int?)null;
        return new ButtonParam(index, o.Str("sub_type") ?? "quick_reply", o.Str("payload"), o.Str("text"));
    }

    public override void Write(Utf8JsonWriter writer, ButtonParam value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Index is { } i) writer.WriteNumber("index", i);
        writer.WriteString("sub_type", value.SubType);
        if (value.Payload is not null) writer.WriteString("payload", value.Payload);
        if (value.Text is not null) writer.WriteString("text", value.Text);
        writer.WriteEndObject();
    }
}
