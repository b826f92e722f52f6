namespace MicAi.Core.Agents;

/// <summary>The reply an agent chose, and why (for the conversation turn).</summary>
public sealed record AgentReply(string Text, string Responder, long? MatchedRuleId);

/// <summary>Decides the reply: the first matching rule, else the agent's fallback.</summary>
public sealed class Responder
{
    public Task<AgentReply> ReplyAsync(InboundContext context, string text, CancellationToken ct)
    {
        var rule = RuleEngine.Match(context.Agent.Rules, text);
        if (rule is { Action: "reply_text", ReplyText: { Length: > 0 } template })
            return Task.FromResult(new AgentReply(RuleEngine.Render(template, context.ProfileName, text), "rule", rule.Id));
        return Task.FromResult(new AgentReply(RuleEngine.Render(context.Agent.FallbackReply, context.ProfileName, text), "fallback", rule?.Id));
    }
}
