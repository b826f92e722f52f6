namespace MicAi.Core.Agents;

/// <summary>
/// A customer asking for a person: the whole message is one of the agent's handover keywords (default "agent",
/// "human"), with or without the invoke prefix, ignoring case, accents and trailing punctuation — like STOP, a customer
/// must be able to reach a person whatever the bot expects.
/// </summary>
public sealed class HandoverKeywords(InvokePrefixGate gate)
{
    public const string Responder = "handover";

    public bool IsRequest(AgentProfile agent, string? text)
    {
        if (text is null || agent.HandoverKeywords.Count == 0) return false;
        return gate.IsCommand(text, agent.HandoverKeywords.Select(k => TextNormalizer.Fold(k.Trim())));
    }

    public static AgentReply Reply(AgentProfile agent) => new(agent.HandoverReply, Responder, null);
}
