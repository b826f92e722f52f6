using System.Text.Json;
using System.Text.Json.Serialization;
using MicAi.Core.Agents.Tools;
using MicAi.Core.Http;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Agents;

/// <summary>
/// The body of POST /admin/rules, exactly as the Python service took it (snake_case; keywords as a list or a
/// comma-separated string; its client <c>id</c>, string agent ids and <c>action: "call_weather"</c> too). Validation
/// returns field errors for a ProblemDetails response.
/// </summary>
public sealed record RuleInput : IValidatable
{
    // Every member is optional on the wire; the documented defaults are applied by the *Or* accessors below
    // (source-generated JSON does not run property initialisers for absent members).
    /// <summary>The Python service's client-chosen rule id: with it, POST upserts that rule (agent_rules.external_id).</summary>
    [JsonPropertyName("id"), JsonConverter(typeof(IntegerOrStringJsonConverter))] public string? Id { get; init; }
    /// <summary>MicAi's number or the Python service's string id (<see cref="AgentReference"/>).</summary>
    [JsonPropertyName("agent_id"), JsonConverter(typeof(IntegerOrStringJsonConverter))] public string? AgentId { get; init; }
    [JsonPropertyName("rule_type")] public string? RuleType { get; init; }
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("priority")] public int? Priority { get; init; }
    [JsonPropertyName("keywords"), JsonConverter(typeof(KeywordsJsonConverter))] public string[]? Keywords { get; init; }
    [JsonPropertyName("prefix")] public string? Prefix { get; init; }
    [JsonPropertyName("action")] public string? Action { get; init; }
    [JsonPropertyName("tool")] public string? Tool { get; init; }
    [JsonPropertyName("reply_text")] public string? ReplyText { get; init; }
    [JsonPropertyName("buttons")] public ReplyButton[]? Buttons { get; init; }
    [JsonPropertyName("button")] public string? Button { get; init; }
    [JsonPropertyName("sections")] public ListSection[]? Sections { get; init; }
    [JsonPropertyName("media")] public MediaReply? Media { get; init; }
    [JsonPropertyName("template")] public TemplateMessage? Template { get; init; }

    /// <summary>The Python service's action for the weather tool.</summary>
    public const string PythonWeatherAction = "call_weather";

    /// <summary>The Python service's rule ids were VARCHAR(64).</summary>
    public const int MaxIdLength = 64;

    /// <summary>The agent named, else the default agent (id 1); <see cref="Validate"/> has refused anything unreadable.</summary>
    public AgentReference AgentOrDefault => AgentReference.TryParse(AgentId, out var agent) ? agent : new AgentReference(1, null);
    public string RuleTypeOrDefault => RuleType ?? "keyword";
    public bool EnabledOrDefault => Enabled ?? true;
    public int PriorityOrDefault => Priority ?? 100;
    public string[] KeywordList => Keywords ?? [];
    public string ActionOrDefault => Action switch { null => "reply_text", PythonWeatherAction => "tool", _ => Action };
    public string? ToolOrDefault => Action == PythonWeatherAction ? ToolNames.Weather : Tool;

    /// <summary>What agent_rules.content stores: only the part the action uses.</summary>
    public RichReply? Rich => ActionOrDefault switch
    {
        "reply_buttons" => new RichReply { Buttons = Buttons },
        "reply_list" => new RichReply { Button = Button, Sections = Sections },
        "reply_media" => new RichReply { Media = Media },
        "reply_template" => new RichReply { Template = Template },
        _ => null,
    };

    private static readonly string[] Actions = ["reply_text", "tool", "reply_buttons", "reply_list", "reply_media", "reply_template"];

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Id is not null && (Id.Trim().Length == 0 || Id.Length > MaxIdLength)) errors["id"] = [$"must be 1 to {MaxIdLength} characters"];
        if (AgentId is not null && !AgentReference.TryParse(AgentId, out _)) errors["agent_id"] = ["must be " + AgentReference.Rule];
        if (RuleTypeOrDefault is not ("keyword" or "prefix")) errors["rule_type"] = ["must be 'keyword' or 'prefix'"];
        if (RuleTypeOrDefault == "keyword" && KeywordList.All(string.IsNullOrWhiteSpace)) errors["keywords"] = ["a keyword rule needs at least one keyword"];
        if (RuleTypeOrDefault == "prefix" && string.IsNullOrWhiteSpace(Prefix)) errors["prefix"] = ["a prefix rule needs a prefix"];
        if (!Actions.Contains(ActionOrDefault)) errors["action"] = ["must be one of " + string.Join(", ", Actions.Select(a => $"'{a}'")) + " or 'call_weather' (the weather tool)"];
        if (ActionOrDefault == "reply_buttons") RichReplyRules.ValidateButtons(ReplyText, Buttons, errors);
        if (ActionOrDefault == "reply_list") RichReplyRules.ValidateList(ReplyText, Button, Sections, errors);
        if (ActionOrDefault == "reply_media") RichReplyRules.ValidateMedia(Media, errors);
        if (ActionOrDefault == "reply_template") RichReplyRules.ValidateTemplate(Template, errors);
        if (ActionOrDefault == "reply_text" && string.IsNullOrWhiteSpace(ReplyText)) errors["reply_text"] = ["required when action is 'reply_text'"];
        if (ActionOrDefault == "tool" && string.IsNullOrWhiteSpace(ToolOrDefault)) errors["tool"] = ["required when action is 'tool'"];
        return errors;
    }
}

/// <summary>Keywords as a JSON list or a comma-separated string (the Python service took both).</summary>
internal sealed class KeywordsJsonConverter : JsonConverter<string[]>
{
    public override string[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        JsonTokenType.Null => [],
        // Same clean-up as the string form: a null or blank entry would break matching later.
        _ => (JsonSerializer.Deserialize<string[]>(ref reader, options) ?? [])
             .Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).ToArray(),
    };

    public override void Write(Utf8JsonWriter writer, string[] value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
