using System.Text.Json;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Outbox;

/// <summary>
/// The ledger's template_params column: a JSON array of body parameters (as every row before header and button
/// parameters existed), or the parameters of a <see cref="TemplateMessage"/> (<c>{"body_params", "header_params",
/// "button_params"}</c>) when a header or a button has any. Both shapes are read.
/// </summary>
public static class TemplateParamsColumn
{
    public static string? Write(OutboundDraft d) =>
        d.Template is { HasParameters: true } t ? JsonSerializer.Serialize(t.ParametersOnly, OutboxJson.Default.TemplateMessage)
        : d.TemplateParams is null ? null : JsonSerializer.Serialize(d.TemplateParams.ToArray(), OutboxJson.Default.StringArray);

    /// <summary>The body parameters of a row written as an array; null for the object form (see <see cref="Template"/>).</summary>
    public static string[]? Body(string? column) =>
        column is ['[', ..] json ? JsonSerializer.Deserialize(json, OutboxJson.Default.StringArray) : null;

    /// <summary>The parameters of a row written as an object; null for the array form.</summary>
    public static TemplateMessage? Template(string? column) =>
        column is ['{', ..] json ? JsonSerializer.Deserialize(json, OutboxJson.Default.TemplateMessage) : null;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(TemplateMessage))]
internal sealed partial class OutboxJson : System.Text.Json.Serialization.JsonSerializerContext;
