namespace MicAi.Core.Agents;

/// <summary>
/// Picks the first enabled rule that matches, lowest priority number first (ties: oldest rule first).
/// Keyword rules match any of their keywords as a whole word or phrase, ignoring case and accents; prefix rules match
/// the start of the text the same way. A tap (button, list row, template quick reply) is matched through its title,
/// which is its text, and through its id: a keyword equal to the id (ignoring case) matches. <see cref="CompiledRules"/>
/// does the matching.
/// </summary>
public static class RuleEngine
{
    /// <summary>Compiles the rules and matches once (the worker keeps compiled rules per agent instead).</summary>
    public static AgentRule? Match(IEnumerable<AgentRule> rules, string text, string? replyId = null) =>
        CompiledRules.Compile(rules).Match(text, replyId);

    /// <summary>Fills {name} (the contact's profile name) and {text} (what they wrote) in a reply template.</summary>
    public static string Render(string template, string? profileName, string text) =>
        template.Replace("{name}", string.IsNullOrWhiteSpace(profileName) ? "there" : profileName, StringComparison.Ordinal)
                .Replace("{text}", text, StringComparison.Ordinal);
}
