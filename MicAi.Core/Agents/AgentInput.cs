using MicAi.Core.Agents.Tools;
using MicAi.Core.Http;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Agents;

/// <summary>The body of POST /admin/agents and PUT /admin/agents/{agent_id} (PUT replaces: absent = default).</summary>
public sealed record AgentInput : IValidatable
{
    [Limit(MaxLength = MaxName)] public string? Name { get; init; }
    [Limit(MaxLength = MaxPersona)] public string? Persona { get; init; }
    [Limit(MaxLength = MetaLimits.TextBody)] public string? FallbackReply { get; init; }
    [Limit(MaxItems = MaxTools, ItemMaxLength = RuleInput.MaxToolName)] public string[]? AllowedTools { get; init; }
    public bool? LlmEnabled { get; init; }

    /// <summary>Whole messages that ask for a person (absent: "agent", "human"; [] turns handover keywords off).</summary>
    [Limit(MaxItems = 20, ItemMaxLength = 50)] public string[]? HandoverKeywords { get; init; }

    [Limit(MaxLength = MetaLimits.TextBody)] public string? HandoverReply { get; init; }

    /// <summary>The persona is the LLM's system prompt, held to a text message's size like every text an operator writes.</summary>
    public const int MaxName = 100, MaxPersona = MetaLimits.TextBody, MaxTools = 20;

    public const string DefaultFallback = "Sorry, I did not understand that.";

    public const string DefaultHandoverReply = "Thanks, a person from our team will answer you here shortly.";

    [System.Text.Json.Serialization.JsonIgnore] public string[] HandoverWords => (HandoverKeywords ?? ["agent", "human"]).Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    [System.Text.Json.Serialization.JsonIgnore] public string[] Tools => (AllowedTools ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().ToArray();

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name)) errors["name"] = ["required"];
        if (HandoverReply is { } reply && string.IsNullOrWhiteSpace(reply)) errors["handover_reply"] = ["must not be blank"];
        var unknown = Tools.Where(t => !ToolNames.All.Contains(t)).ToArray();
        if (unknown.Length > 0) errors["allowed_tools"] = [$"unknown tool(s): {string.Join(", ", unknown)}; known: {string.Join(", ", ToolNames.All)}"];
        return errors;
    }
}
