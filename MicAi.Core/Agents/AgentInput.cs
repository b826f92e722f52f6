using MicAi.Core.Agents.Tools;
using MicAi.Core.Http;

namespace MicAi.Core.Agents;

/// <summary>The body of POST /admin/agents and PUT /admin/agents/{agent_id} (PUT replaces: absent = default).</summary>
public sealed record AgentInput : IValidatable
{
    public string? Name { get; init; }
    public string? Persona { get; init; }
    public string? FallbackReply { get; init; }
    public string[]? AllowedTools { get; init; }
    public bool? LlmEnabled { get; init; }

    /// <summary>Whole messages that ask for a person (absent: "agent", "human"; [] turns handover keywords off).</summary>
    public string[]? HandoverKeywords { get; init; }

    public string? HandoverReply { get; init; }

    public const string DefaultFallback = "Sorry, I did not understand that.";

    public const string DefaultHandoverReply = "Thanks, a person from our team will answer you here shortly.";

    public string[] HandoverWords => (HandoverKeywords ?? ["agent", "human"]).Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    public string[] Tools => (AllowedTools ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().ToArray();

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name)) errors["name"] = ["required"];
        else if (Name.Length > 100) errors["name"] = ["at most 100 characters"];
        if (Persona is { Length: > 4000 }) errors["persona"] = ["at most 4000 characters"];
        if (FallbackReply is { Length: > 4096 }) errors["fallback_reply"] = ["at most 4096 characters"];
        if (HandoverReply is { Length: > 4096 }) errors["handover_reply"] = ["at most 4096 characters"];
        if (HandoverReply is { } reply && string.IsNullOrWhiteSpace(reply)) errors["handover_reply"] = ["must not be blank"];
        if (HandoverWords.Length > 20 || HandoverWords.Any(k => k.Length > 50)) errors["handover_keywords"] = ["at most 20 keywords of at most 50 characters"];
        var unknown = Tools.Where(t => !ToolNames.All.Contains(t)).ToArray();
        if (unknown.Length > 0) errors["allowed_tools"] = [$"unknown tool(s): {string.Join(", ", unknown)}; known: {string.Join(", ", ToolNames.All)}"];
        return errors;
    }
}
