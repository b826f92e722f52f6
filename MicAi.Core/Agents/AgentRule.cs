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

/// <summary>An agent with its enabled rules (compiled), as the responder needs it.</summary>
public sealed record AgentProfile(
    long Id,
    string Name,
    string Persona,
    string FallbackReply,
    bool LlmEnabled,
    string[] AllowedTools,
    CompiledRules Rules);
