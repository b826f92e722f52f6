using System.Text.Json;
using System.Text.Json.Serialization;
using MicAi.Core.Http;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Agents;

/// <summary>
/// The body of POST /admin/rules, exactly as the Python service took it (snake_case; keywords as a list or a
/// comma-separated string). Validation returns field errors for a ProblemDetails response.
/// </summary>
public sealed record RuleInput : IValidatable
{
    // Every member is optional on the wire; the documented defaults are applied by the *Or* accessors below
    // (source-generated JSON does not run property initialisers for absent members).
    [JsonPropertyName("agent_id")] public long? AgentId { get; init; }
    [JsonPropertyName("rule_type")] public string? RuleType { get; init; }
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("priority"), Limit(Minimum = -MaxPriority, Maximum = MaxPriority)] public int? Priority { get; init; }
    [JsonPropertyName("keywords"), JsonConverter(typeof(KeywordsJsonConverter)), Limit(MaxItems = MaxKeywords, ItemMaxLength = MaxKeywordLength)]
    public string[]? Keywords { get; init; }
    [JsonPropertyName("prefix"), Limit(MaxLength = MaxKeywordLength)] public string? Prefix { get; init; }
    [JsonPropertyName("action")] public string? Action { get; init; }
    [JsonPropertyName("tool"), Limit(MaxLength = MaxToolName)] public string? Tool { get; init; }
    [JsonPropertyName("reply_text"), Limit(MaxLength = MetaLimits.TextBody)] public string? ReplyText { get; init; }

    // Limits an operator will not meet by accident (docs/admin-api.md#limits); they keep a message's matching cheap.
    public const int MaxKeywords = 200, MaxKeywordLength = 100, MaxToolName = 50, MaxPriority = 1_000_000;
    /// <summary>Rules one agent may have (checked when a rule is created or moved to the agent).</summary>
    public const int MaxRulesPerAgent = 1000;

    [JsonIgnore] public long AgentIdOrDefault => AgentId ?? 1;
    [JsonIgnore] public string RuleTypeOrDefault => RuleType ?? "keyword";
    [JsonIgnore] public bool EnabledOrDefault => Enabled ?? true;
    [JsonIgnore] public int PriorityOrDefault => Priority ?? 100;
    [JsonIgnore] public string[] KeywordList => Keywords ?? [];
    [JsonIgnore] public string ActionOrDefault => Action ?? "reply_text";

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (RuleTypeOrDefault is not ("keyword" or "prefix")) errors["rule_type"] = ["must be 'keyword' or 'prefix'"];
        if (RuleTypeOrDefault == "keyword" && KeywordList.All(string.IsNullOrWhiteSpace)) errors["keywords"] = ["a keyword rule needs at least one keyword"];
        if (RuleTypeOrDefault == "prefix" && string.IsNullOrWhiteSpace(Prefix)) errors["prefix"] = ["a prefix rule needs a prefix"];
        if (ActionOrDefault is not ("reply_text" or "tool")) errors["action"] = ["must be 'reply_text' or 'tool'"];
        if (ActionOrDefault == "reply_text" && string.IsNullOrWhiteSpace(ReplyText)) errors["reply_text"] = ["required when action is 'reply_text'"];
        if (ActionOrDefault == "tool" && string.IsNullOrWhiteSpace(Tool)) errors["tool"] = ["required when action is 'tool'"];
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
