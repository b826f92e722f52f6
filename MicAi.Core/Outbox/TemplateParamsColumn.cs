using System.Text.Json.Nodes;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Outbox;

/// <summary>
/// The ledger's template_params column: a JSON array of body parameters (as every row before header and button
/// parameters existed), or an object <c>{"body": [...], "header": [...], "buttons": [{"sub_type", "index", "value"}]}</c>
/// when a header or a button has parameters. Both shapes are read.
/// </summary>
public static class TemplateParamsColumn
{
    public static string? Write(IReadOnlyList<string>? body, IReadOnlyList<string>? header, IReadOnlyList<TemplateButton>? buttons)
    {
        if (header is not { Count: > 0 } && buttons is not { Count: > 0 })
            return body is null ? null : new JsonArray([.. body.Select(p => (JsonNode?)p)]).ToJsonString();
        return new JsonObject
        {
            ["body"] = new JsonArray([.. (body ?? []).Select(p => (JsonNode?)p)]),
            ["header"] = new JsonArray([.. (header ?? []).Select(p => (JsonNode?)p)]),
            ["buttons"] = new JsonArray([.. (buttons ?? []).Select(b => (JsonNode?)new JsonObject
            {
                ["sub_type"] = b.SubType, ["index"] = b.Index, ["value"] = b.Value,
            })]),
        }.ToJsonString();
    }

    public static (string[]? Body, string[]? Header, TemplateButton[]? Buttons) Read(string? json)
    {
        if (json is null) return (null, null, null);
        var node = JsonNode.Parse(json);
        if (node is JsonArray array) return (Strings(array), null, null);
        if (node is not JsonObject o) return (null, null, null);
        var buttons = o["buttons"] is JsonArray b
            ? b.OfType<JsonObject>().Select(x => new TemplateButton(x["sub_type"]!.GetValue<string>(), x["index"]!.GetValue<int>(), x["value"]!.GetValue<string>())).ToArray()
            : null;
        return (o["body"] is JsonArray body ? Strings(body) : null, o["header"] is JsonArray header ? Strings(header) : null, buttons);
    }

    private static string[] Strings(JsonArray a) => [.. a.Select(n => n?.GetValue<string>() ?? "")];
}
