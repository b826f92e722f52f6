using System.Text.Json.Nodes;
using static MicAi.Core.Simulator.GraphJson;

namespace MicAi.Core.Simulator;

/// <summary>
/// Interactive messages with the Cloud API's limits: reply buttons (1–3 buttons of type reply, id ≤ 256, title ≤ 20,
/// unique) and lists (button label ≤ 20, 1–10 sections, 1–10 rows in all, row id ≤ 200, title ≤ 24, description ≤ 72,
/// section titles required when there is more than one); body text ≤ 1024, text header and footer ≤ 60. Other
/// interactive types (CTA URL, flows, products…) are accepted when they have a body and shown as text.
/// </summary>
internal static class InteractiveContent
{
    private static readonly string[] Types =
        ["button", "list", "cta_url", "flow", "product", "product_list", "catalog_message", "location_request_message", "address_message", "call_permission_request"];

    public static (GraphRefusal?, SimMessage?) Read(JsonObject interactive)
    {
        if ((RequiredString(interactive, "type", "interactive['type']", 32, out var type) ?? OneOf(type, "interactive['type']", Types)) is { } badType)
            return (badType, null);
        type = type.ToLowerInvariant();
        var body = Object(interactive, "body");
        if (body is null && type is not ("product" or "product_list")) return (GraphErrors.Required("interactive['body']"), null);
        if (body is not null && RequiredString(body, "text", "interactive['body']['text']", 1024, out _) is { } badBody) return (badBody, null);
        var header = Object(interactive, "header");
        if (header is not null && Str(header["type"]) == "text" && RequiredString(header, "text", "interactive['header']['text']", 60, out _) is { } badHeader)
            return (badHeader, null);
        var footer = Object(interactive, "footer");
        if (footer is not null && OptionalString(footer, "text", "interactive['footer']['text']", 60, out _) is { } badFooter) return (badFooter, null);
        if (Object(interactive, "action") is not { } action) return (GraphErrors.Required("interactive['action']"), null);

        var bubble = MessageContent.Bubble("interactive", Str(body?["text"])) with
        {
            Header = Str(header?["text"]),
            Footer = Str(footer?["text"]),
        };
        return type switch
        {
            "button" => Buttons(action, bubble),
            "list" => List(action, bubble),
            _ => (null, bubble),
        };
    }

    private static (GraphRefusal?, SimMessage?) Buttons(JsonObject action, SimMessage bubble)
    {
        if (Array(action, "buttons") is not { Count: >= 1 and <= 3 } buttons)
            return (GraphErrors.InvalidParameter("Param interactive['action']['buttons'] must have 1 to 3 buttons."), null);
        var choices = new List<SimChoice>();
        for (var i = 0; i < buttons.Count; i++)
        {
            var path = $"interactive['action']['buttons'][{i}]";
            if (buttons[i] is not JsonObject button || Object(button, "reply") is not { } reply) return (GraphErrors.Required($"{path}['reply']"), null);
            if ((RequiredString(button, "type", $"{path}['type']", 16, out var kind) ?? OneOf(kind, $"{path}['type']", ["reply"])) is { } badKind)
                return (badKind, null);
            if (RequiredString(reply, "id", $"{path}['reply']['id']", 256, out var id) is { } badId) return (badId, null);
            if (RequiredString(reply, "title", $"{path}['reply']['title']", 20, out var title) is { } badTitle) return (badTitle, null);
            if (choices.Any(c => c.Id == id || c.Title == title))
                return (GraphErrors.InvalidParameter("Buttons must have unique ids and titles."), null);
            choices.Add(new SimChoice(id, title));
        }
        return (null, bubble with { ChoiceKind = "button_reply", Choices = choices });
    }

    private static (GraphRefusal?, SimMessage?) List(JsonObject action, SimMessage bubble)
    {
        if (RequiredString(action, "button", "interactive['action']['button']", 20, out var label) is { } badLabel) return (badLabel, null);
        if (Array(action, "sections") is not { Count: >= 1 and <= 10 } sections)
            return (GraphErrors.InvalidParameter("Param interactive['action']['sections'] must have 1 to 10 sections."), null);
        var choices = new List<SimChoice>();
        for (var s = 0; s < sections.Count; s++)
        {
            var path = $"interactive['action']['sections'][{s}]";
            if (sections[s] is not JsonObject section) return (GraphErrors.InvalidParameter($"Param {path} must be an object."), null);
            if (sections.Count > 1 && RequiredString(section, "title", $"{path}['title']", 24, out _) is { } noTitle) return (noTitle, null);
            if (Array(section, "rows") is not { Count: >= 1 } rows) return (GraphErrors.Required($"{path}['rows']"), null);
            for (var r = 0; r < rows.Count; r++)
            {
                var rowPath = $"{path}['rows'][{r}]";
                if (rows[r] is not JsonObject row) return (GraphErrors.InvalidParameter($"Param {rowPath} must be an object."), null);
                if (RequiredString(row, "id", $"{rowPath}['id']", 200, out var id) is { } badId) return (badId, null);
                if (RequiredString(row, "title", $"{rowPath}['title']", 24, out var title) is { } badTitle) return (badTitle, null);
                if (OptionalString(row, "description", $"{rowPath}['description']", 72, out var description) is { } badText) return (badText, null);
                if (choices.Any(c => c.Id == id)) return (GraphErrors.InvalidParameter("List rows must have unique ids."), null);
                choices.Add(new SimChoice(id, title, description));
            }
        }
        if (choices.Count > 10) return (GraphErrors.InvalidParameter("A list can have at most 10 rows in all sections."), null);
        return (null, bubble with { ChoiceKind = "list_reply", Choices = choices, ListButton = label });
    }
}
