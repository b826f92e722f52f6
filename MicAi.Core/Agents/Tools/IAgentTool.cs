namespace MicAi.Core.Agents.Tools;

/// <summary>
/// A tool an agent may be allowed to use. A tool runs when a rule with action=tool names it, or, when no rule
/// matched, when its own phrase detection recognises the text ("weather in Lisbon", "remind me …"). Either way it
/// runs only if the agent's allowed_tools lists it; otherwise the agent answers with its fallback reply.
/// </summary>
public interface IAgentTool
{
    string Name { get; }

    /// <summary>Whether the text is addressed to this tool (phrase detection).</summary>
    bool Detects(string text);

    /// <summary>The reply. Tools answer every failure with a friendly message rather than throwing.</summary>
    Task<string> RunAsync(InboundContext context, string text, CancellationToken ct);
}
