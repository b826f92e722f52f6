using MicAi.Core.Agents.Llm;
using MicAi.Core.Agents.Tools;
using MicAi.Core.Media;
using MicAi.Core.Telemetry;
using MicAi.Core.WhatsApp;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Agents;

/// <summary>The reply an agent chose, and why (for the conversation turn).</summary>
public sealed record AgentReply(string Text, string Responder, long? MatchedRuleId)
{
    /// <summary>Buttons, a list or media to send instead of plain text (<see cref="Text"/> is then what the turn records).</summary>
    public OutboundContent? Content { get; init; }

    /// <summary>An approved template to send instead of text, with its parameters.</summary>
    public TemplateMessage? Template { get; init; }
}

/// <summary>
/// The decision before anything runs: a finished <see cref="Reply"/> (rule or fallback), or a <see cref="Tool"/> to
/// run, or the model to ask (<see cref="AskLlm"/>, with <see cref="Fallback"/> when it does not answer).
/// </summary>
public sealed record ReplyPlan(AgentReply? Reply, IAgentTool? Tool, long? RuleId, bool AskLlm, AgentReply Fallback)
{
    /// <summary>A rich reply whose media file must first be uploaded to Graph (<see cref="RichBody"/> is its text).</summary>
    public RichReply? Rich { get; init; }

    public string? RichBody { get; init; }
}

/// <summary>
/// Decides the reply, in this order: the first matching rule (reply_text, or action=tool naming a tool); else the
/// built-in help answer for "help" (<see cref="HelpReply"/>); else the first tool whose phrase detection recognises the text; else the LLM when the agent has it enabled; else the
/// agent's fallback reply. A tool the agent is not allowed (allowed_tools) yields the fallback reply, also when the
/// LLM is on, so a disallowed tool is never imitated by the model. <see cref="Plan"/> is that decision alone, with no
/// effect, which the console's "try a message" shows; <see cref="ReplyAsync"/> carries it out for the worker.
/// </summary>
public sealed class Responder(IEnumerable<IAgentTool> tools, LlmResponder llm, MediaUploads uploads, PersonalData personal, ILogger<Responder> log)
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
        var plan = Plan(context.Agent, context.ProfileName, text, context.ReplyId);
        if (plan.Reply is { } reply) return reply;
        if (plan.Rich is { Media: { File: { } file } media } rich)
        {
            // An uploaded file goes to Graph once; its Graph id is what the message names. Gone: the fallback reply.
            if (await uploads.GraphIdAsync(file, context.PhoneNumberId, ct) is not { } graphId) return plan.Fallback;
            rich = rich with { Media = media with { Id = graphId, File = null } };
            return new AgentReply(RichReplyJson.Describe(rich, plan.RichBody!), "rule", plan.RuleId) { Content = RichReplyJson.Render(rich, plan.RichBody!) };
        }
        if (plan.Tool is { } tool) return new AgentReply(await tool.RunAsync(context, text, ct), "tool:" + tool.Name, plan.RuleId);
        return await llm.ReplyAsync(context, text, ct) is { } answer ? new AgentReply(answer, "llm", null) : plan.Fallback;
    }

    public ReplyPlan Plan(AgentProfile agent, string? profileName, string text, string? replyId = null)
    {
        var rule = agent.Rules.Match(text, replyId);
        var fallback = new AgentReply(RuleEngine.Render(agent.FallbackReply, profileName, text), "fallback", rule?.Id);
        if (rule is { Action: "reply_text", ReplyText: { Length: > 0 } template })
            return new ReplyPlan(new AgentReply(RuleEngine.Render(template, profileName, text), "rule", rule.Id), null, rule.Id, false, fallback);
        if (rule is { Action: "reply_template", Template: { } t })
            return new ReplyPlan(new AgentReply($"[template {t.Name}]", "rule", rule.Id) { Template = t }, null, rule.Id, false, fallback);
        if (rule is { Action: "reply_buttons" or "reply_list" or "reply_media" })
        {
            var body = RuleEngine.Render(rule.ReplyText ?? "", profileName, text);
            var rich = rule.Rich;
            // A file still to upload to Graph is the worker's to do (an effect): the plan names it.
            if (rich?.Media is { File: not null }) return new ReplyPlan(null, null, rule.Id, false, fallback) { Rich = rich, RichBody = body };
            return new ReplyPlan(new AgentReply(RichReplyJson.Describe(rich, body), "rule", rule.Id) { Content = RichReplyJson.Render(rich, body) },
                null, rule.Id, false, fallback);
        }
        if (rule is { Action: "tool" })
            return ToolOrFallback(agent, tools.FirstOrDefault(t => t.Name == rule.Tool?.Trim().ToLowerInvariant()), rule.Id, fallback);
        if (rule is null && HelpReply.IsHelp(text)) return new ReplyPlan(HelpReply.For(agent), null, null, false, fallback);
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
