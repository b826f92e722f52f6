using System.Buffers;
using System.Text;
using System.Text.Json;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// Renders a rule's <see cref="RichReply"/> as the Cloud API's message object (the value under "interactive",
/// "image", "document" …), once, when the reply is decided; the ledger stores it and the client sends it as is.
/// </summary>
public static class RichReplyJson
{
    /// <returns>The content to send, or null when the reply has no buttons, list or media.</returns>
    public static OutboundContent? Render(RichReply? reply, string body)
    {
        if (reply is null) return null;
        if (reply.Buttons is { Length: > 0 } buttons) return new("interactive", Write(w => Buttons(w, body, buttons)));
        if (reply.Sections is { Length: > 0 } sections) return new("interactive", Write(w => List(w, body, reply.Button ?? "Options", sections)));
        if (reply.Media is { } media) return new(media.Type, Write(w => Media(w, media)));
        return null;
    }

    /// <summary>The text a conversation turn records for the content (what the customer sees first).</summary>
    public static string Describe(RichReply? reply, string body) =>
        reply?.Media is { } media ? media.Caption ?? $"[{media.Type}]" : body;

    private static void Buttons(Utf8JsonWriter w, string body, ReplyButton[] buttons)
    {
        w.WriteString("type", "button");
        Body(w, body);
        w.WriteStartObject("action");
        w.WriteStartArray("buttons");
        foreach (var b in buttons)
        {
            w.WriteStartObject();
            w.WriteString("type", "reply");
            w.WriteStartObject("reply");
            w.WriteString("id", b.Id);
            w.WriteString("title", b.Title);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void List(Utf8JsonWriter w, string body, string button, ListSection[] sections)
    {
        w.WriteString("type", "list");
        Body(w, body);
        w.WriteStartObject("action");
        w.WriteString("button", button);
        w.WriteStartArray("sections");
        foreach (var s in sections)
        {
            w.WriteStartObject();
            if (s.Title is not null) w.WriteString("title", s.Title);
            w.WriteStartArray("rows");
            foreach (var r in s.Rows)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                w.WriteString("title", r.Title);
                if (r.Description is not null) w.WriteString("description", r.Description);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Media(Utf8JsonWriter w, MediaReply media)
    {
        if (media.Id is not null) w.WriteString("id", media.Id);
        else w.WriteString("link", media.Link);
        if (media.Caption is not null) w.WriteString("caption", media.Caption);
        if (media.Filename is not null) w.WriteString("filename", media.Filename);
    }

    private static void Body(Utf8JsonWriter w, string body)
    {
        w.WriteStartObject("body");
        w.WriteString("text", body);
        w.WriteEndObject();
    }

    private static string Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
