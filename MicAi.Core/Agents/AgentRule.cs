namespace MicAi.Core.Agents;

/// <summary>A trigger rule as stored in agent_rules (JSON names match the Python service's).</summary>
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
    string? ReplyText);

/// <summary>The Python service's answer to a rule posted with its client id: <c>{"status": "ok", "rule_id": id}</c>.</summary>
public sealed record RuleUpserted(string Status, string RuleId);

/// <summary>An agent with its enabled rules, as the responder needs it.</summary>
public sealed record AgentProfile(
    long Id,
    string Name,
    string Persona,
    string FallbackReply,
    bool LlmEnabled,
    string[] AllowedTools,
    IReadOnlyList<AgentRule> Rules)
{
    /// <summary>Whole messages that ask for a person (a handover).</summary>
    public IReadOnlyList<string> HandoverKeywords { get; init; } = ["agent", "human"];

    /// <summary>What the customer is told when they ask for a person.</summary>
    public string HandoverReply { get; init; } = "";
}
