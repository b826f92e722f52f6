using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// JSON bodies for <c>POST /{version}/{phone-number-id}/messages</c>. Pure builders: the client adds the URL,
/// bearer token and content type. <c>to</c> is a phone wa_id or, for username users, the business-scoped user id.
/// </summary>
public static class CloudApiRequests
{
    /// <summary>
    /// Free-form text (only inside the 24 h customer-service window). Link previews are asked for only when the body
    /// has a URL. <paramref name="replyToWamid"/> quotes an inbound message; <paramref name="callbackData"/> is echoed
    /// back by Meta in status webhooks (biz_opaque_callback_data).
    /// </summary>
    public static byte[] Text(string to, string body, string? replyToWamid = null, string? callbackData = null) =>
        Write(w =>
        {
            Envelope(w, to);
            Context(w, replyToWamid);
            w.WriteString("type", "text");
            w.WriteStartObject("text");
            w.WriteBoolean("preview_url", HasUrl(body));
            w.WriteString("body", body);
            w.WriteEndObject();
            if (callbackData is not null) w.WriteString("biz_opaque_callback_data", callbackData);
        });

    /// <summary>
    /// A message of any other type Graph takes inside the window (interactive, image, document, audio, video): the
    /// object under <paramref name="content"/>.Type is written as stored (<see cref="RichReplyJson"/> built it).
    /// </summary>
    public static byte[] Rich(string to, OutboundContent content, string? replyToWamid = null, string? callbackData = null) =>
        Write(w =>
        {
            Envelope(w, to);
            Context(w, replyToWamid);
            w.WriteString("type", content.Type);
            w.WritePropertyName(content.Type);
            w.WriteRawValue(content.Json);
            if (callbackData is not null) w.WriteString("biz_opaque_callback_data", callbackData);
        });

    /// <summary>An approved template (allowed outside the window) with positional body parameters as text.</summary>
    public static byte[] Template(
        string to, string name, string languageCode, IReadOnlyList<string>? bodyParameters = null, string? callbackData = null) =>
        Template(to, name, languageCode, new TemplateMessage { BodyParams = bodyParameters?.ToArray() }, callbackData);

    /// <summary>An approved template with header, body and button parameters (<see cref="TemplateComponents"/>).</summary>
    public static byte[] Template(string to, string name, string languageCode, TemplateMessage parameters, string? callbackData = null) =>
        Write(w =>
        {
            Envelope(w, to);
            w.WriteString("type", "template");
            w.WriteStartObject("template");
            w.WriteString("name", name);
            w.WriteStartObject("language");
            w.WriteString("code", languageCode);
            w.WriteEndObject();
            TemplateComponents.Write(w, parameters);
            w.WriteEndObject();
            if (callbackData is not null) w.WriteString("biz_opaque_callback_data", callbackData);
        });


    /// <summary>Marks an inbound message read; with <paramref name="typingIndicator"/> also shows "typing…" (≤ 25 s).</summary>
    public static byte[] MarkRead(string wamid, bool typingIndicator = false) =>
        Write(w =>
        {
            w.WriteString("messaging_product", "whatsapp");
            w.WriteString("status", "read");
            w.WriteString("message_id", wamid);
            if (typingIndicator)
            {
                w.WriteStartObject("typing_indicator");
                w.WriteString("type", "text");
                w.WriteEndObject();
            }
        });

    /// <summary>
    /// True when WhatsApp would render a link preview for the body (it needs an http(s) URL): "http://" or "https://"
    /// anywhere, in any case. Found as "://" (an ordinal, vectorized scan) with the scheme checked before it: searching
    /// for the scheme ignoring case walked a non-ASCII body char by char (11 µs for a reply echoing 1.5 KB, bench).
    /// </summary>
    public static bool HasUrl(string body)
    {
        for (var at = body.IndexOf("://", StringComparison.Ordinal); at >= 0; at = body.IndexOf("://", at + 3, StringComparison.Ordinal))
        {
            var before = body.AsSpan(0, at);
            if (before.EndsWith("http", StringComparison.OrdinalIgnoreCase) || before.EndsWith("https", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static void Envelope(Utf8JsonWriter w, string to)
    {
        w.WriteString("messaging_product", "whatsapp");
        w.WriteString("recipient_type", "individual");
        w.WriteString("to", to);
    }

    private static void Context(Utf8JsonWriter w, string? replyToWamid)
    {
        if (replyToWamid is null) return;
        w.WriteStartObject("context");
        w.WriteString("message_id", replyToWamid);
        w.WriteEndObject();
    }

    /// <summary>A body larger than this is written in a buffer of its own, so no thread keeps a large one.</summary>
    private const int KeptBufferBytes = 32 * 1024;

    // Each thread keeps one writer and its buffer (a body is written synchronously, start to end), so a send allocates
    // only the body it returns instead of a growing buffer per body (bench: most of the worker's byte[] garbage).
    [ThreadStatic] private static ArrayBufferWriter<byte>? keptBuffer;
    [ThreadStatic] private static Utf8JsonWriter? keptWriter;

    // Text as UTF-8, not \uXXXX: the default encoder escapes every non-ASCII char (an accented letter 6 bytes, a word
    // of Arabic or Hindi three times its size) and the HTML-sensitive ones, which matters only for JSON embedded in a
    // page; a Graph body never is. Quotes, backslashes and control chars are still escaped, so the JSON means the same.
    // (Emoji stay escaped: .NET's encoders let only the Basic Multilingual Plane through.)
    private static readonly JsonWriterOptions BodyOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = keptBuffer ??= new ArrayBufferWriter<byte>(1024);
        var w = keptWriter ??= new Utf8JsonWriter(buffer, BodyOptions);
        buffer.ResetWrittenCount();
        w.Reset(buffer); // also clears what a body that threw half-way left behind
        w.WriteStartObject();
        members(w);
        w.WriteEndObject();
        w.Flush();
        var body = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > KeptBufferBytes) (keptBuffer, keptWriter) = (null, null);
        return body;
    }
}
