using MicAi.Core.Agents.Llm;
using MicAi.Core.Agents.Tools;
using MicAi.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Agents;

/// <summary>The reply an agent chose, and why (for the conversation turn).</summary>
public sealed record AgentReply(string Text, string Responder, long? MatchedRuleId);

/// <summary>
/// Decides the reply, in this order: the first matching rule (reply_text, or action=tool naming a tool); else the
/// first tool whose phrase detection recognises the text; else the LLM when the agent has it enabled; else the
/// agent's fallback reply. A tool the agent is not allowed (allowed_tools) yields the fallback reply, also when the
/// LLM is on, so a disallowed tool is never imitated by the model.
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
        var agent = context.Agent;
        var rule = RuleEngine.Match(agent.Rules, text);
        if (rule is { Action: "reply_text", ReplyText: { Length: > 0 } template })
            return new AgentReply(RuleEngine.Render(template, context.ProfileName, text), "rule", rule.Id);
        if (rule is { Action: "tool" })
            return await RunToolAsync(context, tools.FirstOrDefault(t => t.Name == rule.Tool?.Trim().ToLowerInvariant()), text, rule.Id, ct);

        if (tools.FirstOrDefault(t => t.Detects(text)) is { } detected)
            return await RunToolAsync(context, detected, text, null, ct);

        if (agent.LlmEnabled && await llm.ReplyAsync(context, text, ct) is { } answer)
            return new AgentReply(answer, "llm", null);
        return Fallback(context, text, rule?.Id);
    }

    private static async Task<AgentReply> RunToolAsync(InboundContext context, IAgentTool? tool, string text, long? ruleId, CancellationToken ct)
    {
        if (tool is null || !context.Agent.AllowedTools.Contains(tool.Name, StringComparer.OrdinalIgnoreCase))
            return Fallback(context, text, ruleId);
        return new AgentReply(await tool.RunAsync(context, text, ct), "tool:" + tool.Name, ruleId);
    }

    private static AgentReply Fallback(InboundContext context, string text, long? ruleId) =>
        new(RuleEngine.Render(context.Agent.FallbackReply, context.ProfileName, text), "fallback", ruleId);
}

internal static partial class ResponderLog
{
    [LoggerMessage(8300, LogLevel.Debug, "Answering {Wamid} from {WaId}: {Text} with {Responder}: {Reply}")]
    public static partial void Answered(ILogger log, string wamid, string waId, string text, string responder, string reply);
}
