using System.Text.Json.Nodes;
using static MicAi.Core.Simulator.GraphJson;

namespace MicAi.Core.Simulator;

/// <summary>
/// A template message: <c>name</c> and <c>language.code</c> are required; <c>components</c>, when present, are header,
/// body, footer or button objects whose parameters each have a known type and that type's value. Any name is
/// accepted (the stand-in has no approved-template registry, see docs/simulator.md); the bubble shows the name and
/// the body parameters, and quick-reply buttons become choices the customer can tap.
/// </summary>
internal static class TemplateContent
{
    private static readonly string[] ComponentTypes = ["header", "body", "footer", "button"];
    private static readonly string[] ParameterTypes = ["text", "currency", "date_time", "image", "document", "video", "location", "payload", "coupon_code"];
    private static readonly string[] ButtonSubTypes = ["quick_reply", "url", "copy_code", "flow", "catalog", "mpm", "voice_call"];

    public static (GraphRefusal?, SimMessage?) Read(JsonObject template)
    {
        if (RequiredString(template, "name", "template['name']", 512, out var name) is { } noName) return (noName, null);
        if (template["language"] is not JsonObject language) return (GraphErrors.Required("template['language']"), null);
        if (RequiredString(language, "code", "template['language']['code']", 15, out _) is { } noCode) return (noCode, null);

        var parameters = new List<string>();
        var choices = new List<SimChoice>();
        if (template["components"] is { } node)
        {
            if (node is not JsonArray components) return (GraphErrors.InvalidParameter("Param template['components'] must be an array."), null);
            for (var i = 0; i < components.Count; i++)
            {
                if (Component(components[i], $"template['components'][{i}]", parameters, choices) is { } refusal) return (refusal, null);
            }
        }
        var text = parameters.Count == 0 ? $"Template {name}" : $"Template {name}: {string.Join(" · ", parameters)}";
        return (null, MessageContent.Bubble("template", text) with
        {
            ChoiceKind = choices.Count > 0 ? "button" : null,
            Choices = choices.Count > 0 ? choices : null,
        });
    }

    private static GraphRefusal? Component(JsonNode? node, string path, List<string> texts, List<SimChoice> choices)
    {
        if (node is not JsonObject component) return GraphErrors.InvalidParameter($"Param {path} must be an object.");
        if ((RequiredString(component, "type", $"{path}['type']", 16, out var type) ?? OneOf(type, $"{path}['type']", ComponentTypes)) is { } badType)
            return badType;
        string? subType = null;
        if (type.Equals("button", StringComparison.OrdinalIgnoreCase))
        {
            if ((RequiredString(component, "sub_type", $"{path}['sub_type']", 16, out subType) ?? OneOf(subType, $"{path}['sub_type']", ButtonSubTypes)) is { } badSub)
                return badSub;
            if (!component.TryGetPropertyValue("index", out var index) || index is null) return GraphErrors.Required($"{path}['index']");
        }
        if (component["parameters"] is null) return null;
        if (component["parameters"] is not JsonArray parameters) return GraphErrors.InvalidParameter($"Param {path}['parameters'] must be an array.");
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = $"{path}['parameters'][{i}]";
            if (parameters[i] is not JsonObject parameter) return GraphErrors.InvalidParameter($"Param {p} must be an object.");
            if ((RequiredString(parameter, "type", $"{p}['type']", 16, out var kind) ?? OneOf(kind, $"{p}['type']", ParameterTypes)) is { } badKind)
                return badKind;
            kind = kind.ToLowerInvariant();
            if (!parameter.ContainsKey(kind)) return GraphErrors.Required($"{p}['{kind}']");
            if (kind == "text" && RequiredString(parameter, "text", $"{p}['text']", 32768, out var value) is { } badText) return badText;
            if (kind == "payload" && RequiredString(parameter, "payload", $"{p}['payload']", 256, out var payload) is { } badPayload) return badPayload;
            if (kind == "text" && type.Equals("body", StringComparison.OrdinalIgnoreCase)) texts.Add(parameter["text"]!.GetValue<string>());
            if (kind == "payload" && subType == "quick_reply")
                choices.Add(new SimChoice(parameter["payload"]!.GetValue<string>(), parameter["payload"]!.GetValue<string>()));
        }
        return null;
    }
}
