using System.Text.Json.Serialization;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Agents;

/// <summary>
/// A trigger rule as stored in agent_rules (JSON names match the Python service's). reply_buttons, reply_list and
/// reply_media rules carry their buttons, list or media (agent_rules.content) beside reply_text.
/// </summary>
public sealed record AgentRule(
    long Id,
    long AgentId,
    string RuleType,
    bool Enabled,
    int Priority,
    string[] Keywords,
    string? Prefix,
    string Action,
    string? Tool,
    string? ReplyText)
{
    public ReplyButton[]? Buttons { get; init; }
    public string? Button { get; init; }
    public ListSection[]? Sections { get; init; }
    public MediaReply? Media { get; init; }
    public TemplateMessage? Template { get; init; }

    /// <summary>The rule's buttons, list or media as one value (null for reply_text and tool rules).</summary>
    [JsonIgnore]
    public RichReply? Rich => Buttons is null && Sections is null && Media is null && Template is null
        ? null : new RichReply { Buttons = Buttons, Button = Button, Sections = Sections, Media = Media, Template = Template };

    public AgentRule WithRich(RichReply? rich) =>
        this with { Buttons = rich?.Buttons, Button = rich?.Button, Sections = rich?.Sections, Media = rich?.Media, Template = rich?.Template };
}

/// <summary>The Python service's answer to a rule posted with its client id: <c>{"status": "ok", "rule_id": id}</c>.</summary>
public sealed record RuleUpserted(string Status, string RuleId);

/// <summary>An agent with its enabled rules (compiled), as the responder needs it.</summary>
public sealed record AgentProfile(
    long Id,
    string Name,
    string Persona,
    string FallbackReply,
    bool LlmEnabled,
    string[] AllowedTools,
    CompiledRules Rules)
{
    /// <summary>Whole messages that ask for a person (a handover).</summary>
    public IReadOnlyList<string> HandoverKeywords { get; init; } = ["agent", "human"];

    /// <summary>What the customer is told when they ask for a person.</summary>
    public string HandoverReply { get; init; } = "";
}
