using System.Text.Json.Nodes;
using static MicAi.Core.Simulator.GraphJson;

namespace MicAi.Core.Simulator;

/// <summary>
/// The per-type rules of a Cloud API message object (limits from the Cloud API reference), and how the message shows
/// as a bubble: text, template (name, body parameters, quick-reply buttons), interactive reply buttons and lists,
/// media as a placeholder with its caption, location, contacts and reactions.
/// </summary>
internal static class MessageContent
{
    public static (GraphRefusal?, SimMessage?) Read(string type, JsonObject root) => type switch
    {
        "text" => Text(root["text"]!.AsObject()),
        "template" => TemplateContent.Read(root["template"]!.AsObject()),
        "interactive" => InteractiveContent.Read(root["interactive"]!.AsObject()),
        "image" or "video" or "document" or "audio" or "sticker" => Media(type, root[type]!.AsObject()),
        "location" => Location(root["location"]!.AsObject()),
        "contacts" => Contacts(root["contacts"]),
        "reaction" => Reaction(root["reaction"]!.AsObject()),
        _ => (GraphErrors.InvalidParameter($"Param type '{type}' is not supported."), null),
    };

    public static SimMessage Bubble(string kind, string? text) =>
        new(0, "", FromCustomer: false, Wamid: "", kind, text, default, Status: "accepted");

    private static (GraphRefusal?, SimMessage?) Text(JsonObject text)
    {
        if ((RequiredString(text, "body", "text['body']", GraphRequest.MaxTextBody, out var body) ?? OptionalBool(text, "preview_url", "text['preview_url']")) is { } refusal)
            return (refusal, null);
        return (null, Bubble("text", body));
    }

    private static (GraphRefusal?, SimMessage?) Media(string type, JsonObject media)
    {
        if (String(media, "id", $"{type}['id']", out var id) is { } badId) return (badId, null);
        if (String(media, "link", $"{type}['link']", out var link) is { } badLink) return (badLink, null);
        if (string.IsNullOrWhiteSpace(id) == string.IsNullOrWhiteSpace(link))
            return (GraphErrors.InvalidParameter($"Param {type} must have exactly one of id or link."), null);
        if (link is not null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            return (GraphErrors.InvalidParameter($"Param {type}['link'] must be an http(s) URL."), null);
        string? caption = null, filename = null;
        if (type is "image" or "video" or "document" && OptionalString(media, "caption", $"{type}['caption']", 1024, out caption) is { } badCaption)
            return (badCaption, null);
        if (type is "audio" or "sticker" && media.ContainsKey("caption"))
            return (GraphErrors.InvalidParameter($"Param {type}['caption'] is not supported for {type} messages."), null);
        if (type == "document" && OptionalString(media, "filename", "document['filename']", 240, out filename) is { } badName)
            return (badName, null);
        return (null, Bubble(type, caption) with { Header = filename });
    }

    private static (GraphRefusal?, SimMessage?) Location(JsonObject location)
    {
        if ((RequiredNumber(location, "latitude", "location['latitude']") ?? RequiredNumber(location, "longitude", "location['longitude']")) is { } badPlace)
            return (badPlace, null);
        if (OptionalString(location, "name", "location['name']", 1000, out var name) is { } badName) return (badName, null);
        if (OptionalString(location, "address", "location['address']", 1000, out var address) is { } badAddress) return (badAddress, null);
        return (null, Bubble("location", string.Join(" · ", new[] { name, address }.Where(s => !string.IsNullOrWhiteSpace(s)))));
    }

    private static (GraphRefusal?, SimMessage?) Contacts(JsonNode? contacts)
    {
        if (contacts is not JsonArray { Count: > 0 } list) return (GraphErrors.Required("contacts"), null);
        var names = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject contact || contact["name"] is not JsonObject name)
                return (GraphErrors.Required($"contacts[{i}]['name']"), null);
            if (RequiredString(name, "formatted_name", $"contacts[{i}]['name']['formatted_name']", 1000, out var formatted) is { } refusal)
                return (refusal, null);
            names.Add(formatted);
        }
        return (null, Bubble("contacts", string.Join(", ", names)));
    }

    private static (GraphRefusal?, SimMessage?) Reaction(JsonObject reaction)
    {
        if (RequiredString(reaction, "message_id", "reaction['message_id']", 512, out var messageId) is { } noId) return (noId, null);
        if (String(reaction, "emoji", "reaction['emoji']", out var emoji) is { } badEmoji) return (badEmoji, null);
        if (emoji is null) return (GraphErrors.Required("reaction['emoji']"), null); // "" removes a reaction
        return (null, Bubble("reaction", emoji) with { ContextWamid = messageId });
    }
}
