using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MicAi.Core.WhatsApp;

/// <summary>What the agent sees of one inbound message, and whether it may answer it.</summary>
public readonly record struct AgentView(string? Text, bool Answerable, string? ReplyId = null);

/// <summary>
/// Maps a <c>messages[]</c> element to the text the agent sees. One table, so routing and storage agree:
/// <code>
/// type          AgentText                                             Answerable  ReplyId
/// text          text.body                                             yes*        -
/// image/video   caption, else "[image]" / "[video]"                   yes         -
/// document      caption, else filename, else "[document]"             yes         -
/// audio         "[voice note]" (audio.voice) or "[audio]"             yes         -
/// sticker       "[sticker]"                                           no          -
/// location      "name address (lat,long)", else "[location]"          yes         -
/// contacts      "[contact] " + shared names, comma separated          yes         -
/// interactive   button_reply / list_reply title (else id)             yes         button_reply.id / list_reply.id
///               nfm_reply: "[flow] k: v, …" from response_json        yes         flow_token
///               (other interactive types)                             no          -
/// button        button.text (template quick reply)                    yes         button.payload
/// order         "Order: 1 × sku @ 49.9 EUR, … (total …). Note: …"     yes         -
/// reaction      emoji (null when the reaction was removed)            no          -
/// system        system.body (e.g. user changed number)                no          -
/// unsupported   null (anything else, including future types)          no          -
/// </code>
/// *A text with an empty body is not answerable. Media placeholders are answerable so a fallback responder can reply
/// ("I can't open images yet"); stickers, reactions and system events never trigger a reply.
/// </summary>
public static class InboundText
{
    public static AgentView Describe(JsonElement message)
    {
        var type = message.Str("type");
        // contacts is the one type whose payload is an array (the shared cards), not an object.
        if (type == "contacts") return new(Contacts(message), true);
        if ((type is null ? null : message.Obj(type)) is not { } b) return new(null, false);
        return type switch
        {
            "text" => b.Str("body") is { } t && !string.IsNullOrWhiteSpace(t) ? new(t, true) : new(b.Str("body"), false),
            "image" or "video" => new(b.NonEmpty("caption") ?? $"[{type}]", true),
            "document" => new(b.NonEmpty("caption") ?? b.NonEmpty("filename") ?? "[document]", true),
            "audio" => new(b.Bool("voice") ? "[voice note]" : "[audio]", true),
            "sticker" => new("[sticker]", false),
            "location" => new(Location(b), true),
            "interactive" => Interactive(b),
            "button" => new(b.NonEmpty("text") ?? b.Str("payload"), true, b.Str("payload")),
            "order" => new(Order(b), true),
            "reaction" => new(b.NonEmpty("emoji"), false),
            "system" => new(b.Str("body"), false),
            _ => new(null, false),
        };
    }

    private static string Location(JsonElement loc)
    {
        var parts = new List<string>();
        if (loc.NonEmpty("name") is { } name) parts.Add(name);
        if (loc.NonEmpty("address") is { } address) parts.Add(address);
        if (loc.Double("latitude") is { } lat && loc.Double("longitude") is { } lon)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"({lat:R},{lon:R})"));
        return parts.Count == 0 ? "[location]" : string.Join(' ', parts);
    }

    // The shared cards live in messages[].contacts; value.contacts is the sender, never read here.
    private static string Contacts(JsonElement message)
    {
        var names = message.Objects("contacts")
            .Select(c => c.Obj("name") is { } n
                ? n.NonEmpty("formatted_name") ?? string.Join(' ', new[] { n.Str("first_name"), n.Str("last_name") }.Where(s => !string.IsNullOrEmpty(s)))
                : "")
            .Where(s => s.Length > 0)
            .ToList();
        return names.Count == 0 ? "[contact]" : "[contact] " + string.Join(", ", names);
    }

    private static AgentView Interactive(JsonElement interactive)
    {
        var kind = interactive.Str("type");
        if (kind is "button_reply" or "list_reply" && interactive.Obj(kind) is { } reply)
            return new(reply.NonEmpty("title") ?? reply.Str("id"), true, reply.Str("id"));
        if (kind == "nfm_reply" && interactive.Obj(kind) is { } flow)
            return FlowReply(flow);
        return new(null, false);
    }

    // response_json is a JSON document inside a string; its flow_token identifies which flow was answered.
    private static AgentView FlowReply(JsonElement flow)
    {
        if (flow.Str("response_json") is not { } json) return new("[flow]", true);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = WebhookParser.MaxDepth });
            var root = doc.RootElement;
            var fields = root.ValueKind != JsonValueKind.Object ? [] : root.EnumerateObject()
                .Where(p => p.Name != "flow_token")
                .Select(p => $"{p.Name}: {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}")
                .ToList();
            var text = fields.Count == 0 ? "[flow]" : "[flow] " + string.Join(", ", fields);
            return new(text, true, root.Str("flow_token"));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return new("[flow]", true);
        }
    }

    private static string Order(JsonElement order)
    {
        var lines = new List<string>();
        var currencies = new HashSet<string>();
        decimal? total = 0m;
        foreach (var item in order.Objects("product_items"))
        {
            var qty = item.Long("quantity") ?? 1;
            var price = item.Decimal("item_price");
            var currency = item.Str("currency") ?? "";
            currencies.Add(currency);
            total = Add(total, qty, price);
            var line = $"{qty.ToString(CultureInfo.InvariantCulture)} × {item.Str("product_retailer_id") ?? "?"}";
            lines.Add(price is { } p ? $"{line} @ {Money(p, currency)}" : line);
        }
        var sb = new StringBuilder("Order: ").Append(lines.Count == 0 ? "(no items)" : string.Join(", ", lines));
        if (lines.Count > 0 && total is { } sum && currencies.Count == 1)
            sb.Append(" (total ").Append(Money(sum, currencies.First())).Append(')');
        if (order.NonEmpty("text") is { } note) sb.Append(". Note: ").Append(note);
        return sb.ToString();
    }

    private static string Money(decimal amount, string currency) =>
        (amount.ToString(CultureInfo.InvariantCulture) + " " + currency).TrimEnd();

    // A total is shown only when every line is priced and the sum fits a decimal (quantities come from the wire).
    private static decimal? Add(decimal? total, long qty, decimal? price)
    {
        if (total is not { } t || price is not { } p) return null;
        try
        {
            return checked(t + qty * p);
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
