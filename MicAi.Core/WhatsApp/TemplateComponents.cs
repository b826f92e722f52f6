using System.Text.Json;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// A template's parameters as Graph's <c>template.components</c>: a header component (one text, image, document or
/// video parameter), a body component (text parameters in order) and one component per button
/// (<c>{"type": "button", "sub_type", "index", "parameters": [payload | text]}</c>), and the checks Meta applies to
/// them, as field errors, for whoever saves a template send.
/// </summary>
public static class TemplateComponents
{
    /// <summary>Buttons a template may have.</summary>
    public const int MaxButtons = 10;

    public static void Write(Utf8JsonWriter w, TemplateMessage p)
    {
        if (!p.HasParameters) return;
        w.WriteStartArray("components");
        if (p.HeaderParams is { Length: > 0 } header)
        {
            Component(w, "header");
            foreach (var h in header) Header(w, h);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        if (p.BodyParams is { Length: > 0 } body)
        {
            Component(w, "body");
            foreach (var text in body) TextParameter(w, text);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var buttons = p.ButtonParams ?? [];
        for (var i = 0; i < buttons.Length; i++)
        {
            var b = buttons[i];
            w.WriteStartObject();
            w.WriteString("type", "button");
            w.WriteString("sub_type", b.SubType);
            w.WriteString("index", (b.Index ?? i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteStartArray("parameters");
            if (b.SubType == "url") TextParameter(w, b.Text ?? "");
            else
            {
                w.WriteStartObject();
                w.WriteString("type", "payload");
                w.WriteString("payload", b.Payload);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Meta's rules for the parameters, as field errors under <paramref name="prefix"/> (e.g. "template.").</summary>
    public static void Validate(TemplateMessage p, string prefix, IDictionary<string, string[]> errors)
    {
        var body = p.BodyParams ?? [];
        for (var i = 0; i < body.Length; i++)
        {
            // Graph refuses these with 132018 ("Param text cannot have new-line/tab characters or more than 4 consecutive spaces").
            if (body[i] is null) errors[$"{prefix}body_params[{i}]"] = ["must be a string"];
            else if (body[i].Contains('\n') || body[i].Contains('\t') || body[i].Contains("     ", StringComparison.Ordinal))
                errors[$"{prefix}body_params[{i}]"] = ["no new lines, tabs or more than 4 consecutive spaces (Meta refuses them)"];
        }
        var header = p.HeaderParams ?? [];
        if (header.Length > 1) errors[$"{prefix}header_params"] = ["a template header takes one parameter"];
        for (var i = 0; i < header.Length; i++)
        {
            var h = header[i];
            var at = $"{prefix}header_params[{i}]";
            if (h is null || !HeaderParam.Types.Contains(h.Type)) errors[at] = [$"type must be one of {string.Join(", ", HeaderParam.Types)}"];
            else if (h.Type == "text" && string.IsNullOrEmpty(h.Text)) errors[at] = ["a text header needs text"];
            else if (h.Type != "text" && (h.Link is null) == (h.Id is null)) errors[at] = ["a media header needs exactly one of link and id"];
            else if (h.Link is not null && !(Uri.TryCreate(h.Link, UriKind.Absolute, out var u) && u.Scheme is "https" or "http")) errors[at] = ["link must be an absolute http(s) URL"];
            else if (h.Filename is not null && h.Type != "document") errors[at] = ["only a document header has a filename"];
        }
        var buttons = p.ButtonParams ?? [];
        for (var i = 0; i < buttons.Length; i++)
        {
            var b = buttons[i];
            var at = $"{prefix}button_params[{i}]";
            if (b is null || b.SubType is not ("quick_reply" or "url")) errors[at] = ["sub_type must be quick_reply or url"];
            else if ((b.Index ?? i) is < 0 or >= MaxButtons) errors[at] = [$"index must be 0 to {MaxButtons - 1}"];
            else if (b.SubType == "quick_reply" && string.IsNullOrEmpty(b.Payload)) errors[at] = ["a quick_reply button needs a payload"];
            else if (b.SubType == "url" && string.IsNullOrEmpty(b.Text)) errors[at] = ["a url button needs text (the URL's dynamic part)"];
        }
    }

    private static void Component(Utf8JsonWriter w, string type)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteStartArray("parameters");
    }

    private static void TextParameter(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static void Header(Utf8JsonWriter w, HeaderParam h)
    {
        if (h.Type == "text")
        {
            TextParameter(w, h.Text ?? "");
            return;
        }
        w.WriteStartObject();
        w.WriteString("type", h.Type);
        w.WriteStartObject(h.Type);
        if (h.Id is not null) w.WriteString("id", h.Id);
        else w.WriteString("link", h.Link);
        if (h.Filename is not null) w.WriteString("filename", h.Filename);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
