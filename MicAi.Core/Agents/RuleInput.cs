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
    [JsonPropertyName("priority"), Limit(Minimum = -MaxPriority, Maximum = MaxPriority)] public int? Priority { get; init; }
    [JsonPropertyName("keywords"), JsonConverter(typeof(KeywordsJsonConverter)), Limit(MaxItems = MaxKeywords, ItemMaxLength = MaxKeywordLength)]
    public string[]? Keywords { get; init; }
    [JsonPropertyName("prefix"), Limit(MaxLength = MaxKeywordLength)] public string? Prefix { get; init; }
    [JsonPropertyName("action")] public string? Action { get; init; }
    [JsonPropertyName("tool"), Limit(MaxLength = MaxToolName)] public string? Tool { get; init; }
    [JsonPropertyName("reply_text"), Limit(MaxLength = MetaLimits.TextBody)] public string? ReplyText { get; init; }
    [JsonPropertyName("buttons")] public ReplyButton[]? Buttons { get; init; }
    [JsonPropertyName("button")] public string? Button { get; init; }
    [JsonPropertyName("sections")] public ListSection[]? Sections { get; init; }
    [JsonPropertyName("media")] public MediaReply? Media { get; init; }
    [JsonPropertyName("template")] public TemplateMessage? Template { get; init; }

    // Limits an operator will not meet by accident (docs/admin-api.md#limits); they keep a message's matching cheap.
    public const int MaxKeywords = 200, MaxKeywordLength = 100, MaxToolName = 50, MaxPriority = 1_000_000;
    /// <summary>Rules one agent may have (checked when a rule is created or moved to the agent).</summary>
    public const int MaxRulesPerAgent = 1000;

    /// <summary>The Python service's action for the weather tool.</summary>
    public const string PythonWeatherAction = "call_weather";

    /// <summary>The Python service's rule ids were VARCHAR(64).</summary>
    public const int MaxIdLength = 64;

    /// <summary>The agent named, else the default agent (id 1); <see cref="Validate"/> has refused anything unreadable.</summary>
    [JsonIgnore] public AgentReference AgentOrDefault => AgentReference.TryParse(AgentId, out var agent) ? agent : new AgentReference(1, null);
    [JsonIgnore] public string RuleTypeOrDefault => RuleType ?? "keyword";
    [JsonIgnore] public bool EnabledOrDefault => Enabled ?? true;
    [JsonIgnore] public int PriorityOrDefault => Priority ?? 100;
    [JsonIgnore] public string[] KeywordList => Keywords ?? [];
    [JsonIgnore] public string ActionOrDefault => Action switch { null => "reply_text", PythonWeatherAction => "tool", _ => Action };
    [JsonIgnore] public string? ToolOrDefault => Action == PythonWeatherAction ? ToolNames.Weather : Tool;

    /// <summary>What agent_rules.content stores: only the part the action uses.</summary>
    [JsonIgnore] public RichReply? Rich => ActionOrDefault switch
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
