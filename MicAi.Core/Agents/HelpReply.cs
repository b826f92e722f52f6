using MicAi.Core.Agents.Tools;

namespace MicAi.Core.Agents;

/// <summary>
/// The built-in answer to "help" (or "menu"): what the contact's agent offers — its enabled rules' keywords and
/// prefixes, the tools it may use with an example each, and how to reach a person. A rule of the agent's own that
/// matches "help" wins over it (rules are tried first).
/// </summary>
public static class HelpReply
{
    public const string Responder = "help";

    private static readonly string[] Words = ["help", "menu"];

    private static readonly Dictionary<string, string> ToolExamples = new(StringComparer.Ordinal)
    {
        [ToolNames.Weather] = "the weather (\"weather in Lisbon\")",
        [ToolNames.Remind] = "reminders (\"remind me in 10 minutes to call mom\", \"my reminders\")",
    };

    public static bool IsHelp(string text) => TextNormalizer.IsCommand(text, Words);

    public static AgentReply For(AgentProfile agent)
    {
        var lines = new List<string> { "Here is what I can do:" };
        var topics = agent.Rules.All.Where(r => r.Enabled)
            .SelectMany(r => r.RuleType == "prefix" && r.Prefix is { Length: > 0 } p ? [p.Trim() + " …"] : r.Keywords.Select(k => k.Trim()))
            .Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Take(20).ToArray();
        if (topics.Length > 0) lines.Add("• ask about: " + string.Join(", ", topics));
        foreach (var tool in agent.AllowedTools)
            if (ToolExamples.TryGetValue(tool.Trim().ToLowerInvariant(), out var example)) lines.Add("• " + example);
        if (agent.HandoverKeywords.Count > 0) lines.Add($"• a person: say \"{agent.HandoverKeywords[0]}\"");
        if (lines.Count == 1) lines.Add("• not much yet: a person will read your messages");
        return new AgentReply(string.Join("\n", lines), Responder, null);
    }
}
