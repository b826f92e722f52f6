using MicAi.Core.Agents.Llm;
using MicAi.Core.Agents.Tools;
using MicAi.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Agents;

/// <summary>The reply an agent chose, and why (for the conversation turn).</summary>
public sealed record AgentReply(string Text, string Responder, long? MatchedRuleId);

/// <summary>
/// The decision before anything runs: a finished <see cref="Reply"/> (rule or fallback), or a <see cref="Tool"/> to
/// run, or the model to ask (<see cref="AskLlm"/>, with <see cref="Fallback"/> when it does not answer).
/// </summary>
public sealed record ReplyPlan(AgentReply? Reply, IAgentTool? Tool, long? RuleId, bool AskLlm, AgentReply Fallback);

/// <summary>
/// Decides the reply, in this order: the first matching rule (reply_text, or action=tool naming a tool); else the
/// first tool whose phrase detection recognises the text; else the LLM when the agent has it enabled; else the
/// agent's fallback reply. A tool the agent is not allowed (allowed_tools) yields the fallback reply, also when the
/// LLM is on, so a disallowed tool is never imitated by the model. <see cref="Plan"/> is that decision alone, with no
/// effect, which the console's "try a message" shows; <see cref="ReplyAsync"/> carries it out for the worker.
/// </summary>
public sealed class Responder(IEnumerable<IAgentTool> tools, LlmResponder llm, PersonalData personal, ILogger<Responder> log)
{
    private readonly IAgentTool[] tools = tools.ToArray();

    public async Task<AgentReply> ReplyAsync(InboundContext context, string text, CancellationToken ct)
    {
        var reply = await DecideAsync(context, text, ct);
        // Debug only (zero lines per message at the default level); who and what redacted unless MICAI_LOG_PERSONAL_DATA.
        if (log.IsEnabled(LogLevel.Debug))
            ResponderLog.Answered(log, context.Wamid, personal.Phone(context.WaId), personal.Text(text), reply.Responder, personal.Text(reply.Text));
        return reply;
    }

    private async Task<AgentReply> DecideAsync(InboundContext context, string text, CancellationToken ct)
    {
        var plan = Plan(context.Agent, context.ProfileName, text);
        if (plan.Reply is { } reply) return reply;
        if (plan.Tool is { } tool) return new AgentReply(await tool.RunAsync(context, text, ct), "tool:" + tool.Name, plan.RuleId);
        return await llm.ReplyAsync(context, text, ct) is { } answer ? new AgentReply(answer, "llm", null) : plan.Fallback;
    }

    public ReplyPlan Plan(AgentProfile agent, string? profileName, string text)
    {
        var rule = RuleEngine.Match(agent.Rules, text);
        var fallback = new AgentReply(RuleEngine.Render(agent.FallbackReply, profileName, text), "fallback", rule?.Id);
        if (rule is { Action: "reply_text", ReplyText: { Length: > 0 } template })
            return new ReplyPlan(new AgentReply(RuleEngine.Render(template, profileName, text), "rule", rule.Id), null, rule.Id, false, fallback);
        if (rule is { Action: "tool" })
            return ToolOrFallback(agent, tools.FirstOrDefault(t => t.Name == rule.Tool?.Trim().ToLowerInvariant()), rule.Id, fallback);
        if (tools.FirstOrDefault(t => t.Detects(text)) is { } detected)
            return ToolOrFallback(agent, detected, null, fallback);
        return agent.LlmEnabled ? new ReplyPlan(null, null, null, true, fallback) : new ReplyPlan(fallback, null, null, false, fallback);
    }

    private static ReplyPlan ToolOrFallback(AgentProfile agent, IAgentTool? tool, long? ruleId, AgentReply fallback) =>
        tool is not null && agent.AllowedTools.Contains(tool.Name, StringComparer.OrdinalIgnoreCase)
            ? new ReplyPlan(null, tool, ruleId, false, fallback)
            : new ReplyPlan(fallback with { MatchedRuleId = ruleId }, null, ruleId, false, fallback);
}

internal static partial class ResponderLog
{
    [LoggerMessage(8300, LogLevel.Debug, "Answering {Wamid} from {WaId}: {Text} with {Responder}: {Reply}")]
    public static partial void Answered(ILogger log, string wamid, string waId, string text, string responder, string reply);
}
