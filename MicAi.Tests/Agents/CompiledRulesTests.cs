using MicAi.Core.Agents;

namespace MicAi.Tests.Agents;

/// <summary>The compiled rules answer exactly as trying every rule in order would, for any rules and any text.</summary>
public sealed class CompiledRulesTests
{
    /// <summary>The engine before it was compiled: every enabled rule in order, the first that matches.</summary>
    private static AgentRule? TryEveryRule(IEnumerable<AgentRule> rules, string text)
    {
        var folded = TextNormalizer.Fold(text);
        foreach (var rule in rules.Where(r => r.Enabled).OrderBy(r => r.Priority).ThenBy(r => r.Id))
        {
            var hit = rule.RuleType switch
            {
                "keyword" => rule.Keywords.Any(k => TextNormalizer.ContainsWord(folded, TextNormalizer.Fold(k.Trim()))),
                "prefix" => rule.Prefix is { Length: > 0 } p && folded.TrimStart().StartsWith(TextNormalizer.Fold(p.Trim()), StringComparison.Ordinal),
                _ => false,
            };
            if (hit) return rule;
        }
        return null;
    }

    // Few distinct pieces, so that random rules and texts meet often: words, accents, punctuation, spaces, an emoji.
    private static readonly string[] Pieces = ["a", "b", "ab", "olá", "ola", "OLA", "café", "2", " ", " ", "  ", ",", "!", "?", "-", "👍", "ç", "c", "\u0301", "x y"];

    private static string Random(Random random, int maxPieces) =>
        string.Concat(Enumerable.Range(0, random.Next(0, maxPieces + 1)).Select(_ => Pieces[random.Next(Pieces.Length)]));

    private static AgentRule RandomRule(Random random, long id) => random.Next(4) == 0
        ? new AgentRule(id, 1, "prefix", random.Next(6) > 0, random.Next(5), [], Random(random, 3), "reply_text", null, "p")
        : new AgentRule(id, 1, random.Next(20) == 0 ? "regex" : "keyword", random.Next(6) > 0, random.Next(5),
            Enumerable.Range(0, random.Next(0, 4)).Select(_ => Random(random, 3)).ToArray(), null, "reply_text", null, "k");

    [Fact]
    public void Match_AgreesWithTryingEveryRuleInOrder_On20000RandomRuleSetsAndTexts()
    {
        var random = new Random(14); // fixed seed: a failure names a case that can be replayed
        for (var round = 0; round < 20_000; round++)
        {
            var rules = Enumerable.Range(1, random.Next(1, 12)).Select(i => RandomRule(random, i)).OrderBy(_ => random.Next()).ToArray();
            var compiled = CompiledRules.Compile(rules);
            for (var t = 0; t < 5; t++)
            {
                var text = Random(random, 8);
                var expected = TryEveryRule(rules, text);
                Assert.True(ReferenceEquals(expected, compiled.Match(text)),
                    $"round {round}, text '{text}': expected rule {expected?.Id}, got {compiled.Match(text)?.Id}");
            }
        }
    }

    [Fact]
    public void Match_FindsTheRightRule_AmongAThousand_ByKeywordPhraseAndPrefix()
    {
        var rules = Enumerable.Range(1, 1000).Select(i => i % 10 == 0
            ? new AgentRule(i, 1, "prefix", true, 100, [], $"order {i}", "reply_text", null, "p")
            : new AgentRule(i, 1, "keyword", true, 100, [$"item{i}", $"big item {i}"], null, "reply_text", null, "k")).ToArray();
        var compiled = CompiledRules.Compile(rules, version: 7);

        Assert.Equal(7, compiled.Version);
        Assert.Equal(1000, compiled.Count);
        Assert.Equal(537, compiled.Match("do you have ITEM537?")!.Id);
        Assert.Equal(538, compiled.Match("the big item 538, please")!.Id);
        Assert.Equal(990, compiled.Match("  Order 990 now")!.Id);
        Assert.Null(compiled.Match("item5370 and big item"));
    }
}
