namespace MicAi.Core.Agents;

/// <summary>
/// Picks the first enabled rule that matches, lowest priority number first (ties: oldest rule first).
/// Keyword rules match any of their keywords as a whole word or phrase, ignoring case and accents; prefix rules match
/// the start of the text the same way. A tap (button, list row, template quick reply) is matched through its title,
/// which is its text, and through its id: a keyword equal to the id (ignoring case) matches.
/// </summary>
public static class RuleEngine
{
    public static AgentRule? Match(IEnumerable<AgentRule> rules, string text, string? replyId = null)
    {
        var id = replyId?.Trim();
        var folded = TextNormalizer.Fold(text);
        foreach (var rule in rules.Where(r => r.Enabled).OrderBy(r => r.Priority).ThenBy(r => r.Id))
        {
            var hit = rule.RuleType switch
            {
                "keyword" => rule.Keywords.Any(k => TextNormalizer.ContainsWord(folded, TextNormalizer.Fold(k.Trim()))
                    || id is { Length: > 0 } && string.Equals(k.Trim(), id, StringComparison.OrdinalIgnoreCase)),
                "prefix" => rule.Prefix is { Length: > 0 } p && folded.TrimStart().StartsWith(TextNormalizer.Fold(p.Trim()), StringComparison.Ordinal),
                _ => false,
            };
            if (hit) return rule;
        }
        return null;
    }

    /// <summary>Fills {name} (the contact's profile name) and {text} (what they wrote) in a reply template.</summary>
    public static string Render(string template, string? profileName, string text) =>
        template.Replace("{name}", string.IsNullOrWhiteSpace(profileName) ? "there" : profileName, StringComparison.Ordinal)
                .Replace("{text}", text, StringComparison.Ordinal);
}
