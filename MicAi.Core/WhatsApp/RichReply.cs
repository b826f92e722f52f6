using System.Text.Json.Serialization;

namespace MicAi.Core.WhatsApp;

/// <summary>A reply button: <c>id</c> comes back in <c>interactive.button_reply.id</c> when tapped, <c>title</c> is shown.</summary>
public sealed record ReplyButton(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title);

/// <summary>A list row: <c>id</c> comes back in <c>interactive.list_reply.id</c> when chosen.</summary>
public sealed record ListRow(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string? Description = null);

/// <summary>A list section (its title is required by Meta when the list has more than one).</summary>
public sealed record ListSection(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("rows")] ListRow[] Rows);

/// <summary>
/// A media reply: <c>type</c> image, document, audio or video, by public <c>link</c>, by a Graph media <c>id</c>, or by
/// <c>file</c>: a file uploaded to MicAi (POST /admin/media), which is uploaded to Graph's <c>/{phone number id}/media</c>
/// once and its id reused; caption for image, video and document, filename for documents.
/// </summary>
public sealed record MediaReply(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("link")] string? Link = null,
    [property: JsonPropertyName("id")] string? Id = null,
    [property: JsonPropertyName("caption")] string? Caption = null,
    [property: JsonPropertyName("filename")] string? Filename = null,
    [property: JsonPropertyName("file")] string? File = null)
{
    public static readonly string[] Types = ["image", "document", "audio", "video"];
}

/// <summary>
/// What a rule sends besides plain text, as saved with the rule (agent_rules.content): reply buttons, a list (its
/// <c>button</c> label and <c>sections</c>), a media message, or an approved template with its parameters.
/// </summary>
public sealed record RichReply
{
    [JsonPropertyName("buttons")] public ReplyButton[]? Buttons { get; init; }
    [JsonPropertyName("button")] public string? Button { get; init; }
    [JsonPropertyName("sections")] public ListSection[]? Sections { get; init; }
    [JsonPropertyName("media")] public MediaReply? Media { get; init; }
    [JsonPropertyName("template")] public TemplateMessage? Template { get; init; }
}

/// <summary>
/// A message ready for the ledger beyond plain text: Graph's message <paramref name="Type"/> ("interactive", "image",
/// "document", "audio", "video") and the JSON object sent under that name.
/// </summary>
public sealed record OutboundContent(string Type, string Json);
