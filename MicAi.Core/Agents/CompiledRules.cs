namespace MicAi.Core.Agents;

/// <summary>
/// An agent's enabled rules, compiled once so that matching a message costs about the same for 5 rules or 1,000
/// (the worker caches one per agent: <see cref="AgentRuleCache"/>). Same answer as trying every rule in order
/// (<see cref="RuleEngine"/>): the first by priority, then id, whose keyword is in the text as a whole word or phrase, or
/// whose prefix starts it, ignoring case and accents.
/// </summary>
/// <remarks>
/// A keyword can only be in a text if the keyword's first word (a run of letters or digits) is one of the text's
/// words: its edges are word boundaries, and so are the keyword's own non-letters. So keywords are indexed by that
/// first word; a message looks up each of its words and confirms only those candidates, best rank first. Prefixes sit
/// in a trie walked along the start of the text. Keywords without any letter or digit ("?", "👍") are always checked.
/// </remarks>
public sealed class CompiledRules
{
    private readonly AgentRule[] ranked;
    private readonly Dictionary<string, List<Candidate>> byFirstWord = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Candidate>>.AlternateLookup<ReadOnlySpan<char>> wordLookup;
    private readonly List<Candidate> wordless = [];
    private readonly PrefixNode prefixes = new();
    // A tap (button, list row, template quick reply) also matches a keyword equal to its id, ignoring case.
    private readonly Dictionary<string, int> byReplyId = new(StringComparer.OrdinalIgnoreCase);

    private readonly record struct Candidate(int Rank, string Keyword);

    private sealed class PrefixNode
    {
        public Dictionary<char, PrefixNode>? Next;
        public int Rank = int.MaxValue; // the best rule whose whole prefix ends here
    }

    /// <summary>agents.rules_version these rules were read at (the cache compares it with the message's read).</summary>
    public long Version { get; }

    public int Count => ranked.Length;

    /// <summary>The enabled rules in matching order (priority, then id).</summary>
    public IReadOnlyList<AgentRule> All => ranked;

    public static CompiledRules Empty { get; } = new([], 0);

    private CompiledRules(IEnumerable<AgentRule> rules, long version)
    {
        Version = version;
        ranked = rules.Where(r => r.Enabled && r.RuleType is "keyword" or "prefix").OrderBy(r => r.Priority).ThenBy(r => r.Id).ToArray();
        for (var rank = 0; rank < ranked.Length; rank++)
        {
            var rule = ranked[rank];
            if (rule.RuleType == "prefix") { if (rule.Prefix is { Length: > 0 } p) AddPrefix(TextNormalizer.Fold(p.Trim()), rank); continue; }
            foreach (var id in rule.Keywords.Select(k => k.Trim()).Where(k => k.Length > 0)) byReplyId.TryAdd(id, rank); // the best rank first
            foreach (var keyword in rule.Keywords.Select(k => TextNormalizer.Fold(k.Trim())).Where(k => k.Length > 0).Distinct())
            {
                var first = Words(keyword).FirstOrDefault();
                var list = first.Length == 0 ? wordless : Bucket(keyword.Substring(first.Start, first.Length));
                list.Add(new Candidate(rank, keyword)); // ranks only grow: each list stays in rank order
            }
        }
        wordLookup = byFirstWord.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static CompiledRules Compile(IEnumerable<AgentRule> rules, long version = 0) => new(rules, version);

    /// <summary>The rule that answers <paramref name="text"/> (or the tap whose id is <paramref name="replyId"/>), or null.</summary>
    public AgentRule? Match(string text, string? replyId = null)
    {
        if (ranked.Length == 0) return null;
        var folded = TextNormalizer.Fold(text);
        var best = PrefixRank(folded.AsSpan().TrimStart());
        if (replyId?.Trim() is { Length: > 0 } id && byReplyId.TryGetValue(id, out var tapped)) best = Math.Min(best, tapped);
        foreach (var (start, length) in Words(folded))
            if (wordLookup.TryGetValue(folded.AsSpan(start, length), out var list)) best = FirstHit(list, folded, best);
        best = FirstHit(wordless, folded, best);
        return best == int.MaxValue ? null : ranked[best];
    }

    /// <summary>The best rank under <paramref name="best"/> among <paramref name="list"/>'s keywords that are in the text.</summary>
    private static int FirstHit(List<Candidate> list, string folded, int best)
    {
        foreach (var c in list)
        {
            if (c.Rank >= best) break;
            if (TextNormalizer.ContainsWord(folded, c.Keyword)) return c.Rank;
        }
        return best;
    }

    private int PrefixRank(ReadOnlySpan<char> text)
    {
        var node = prefixes;
        var best = node.Rank;
        foreach (var c in text)
        {
            if (node.Next is null || !node.Next.TryGetValue(c, out node)) break;
            best = Math.Min(best, node.Rank);
        }
        return best;
    }

    private void AddPrefix(string folded, int rank)
    {
        var node = prefixes;
        foreach (var c in folded)
        {
            node.Next ??= [];
            if (!node.Next.TryGetValue(c, out var next)) node.Next[c] = next = new PrefixNode();
            node = next;
        }
        node.Rank = Math.Min(node.Rank, rank);
    }

    private List<Candidate> Bucket(string word)
    {
        if (!byFirstWord.TryGetValue(word, out var list)) byFirstWord[word] = list = [];
        return list;
    }

    /// <summary>The runs of letters or digits, the same boundaries <see cref="TextNormalizer.ContainsWord"/> uses.</summary>
    private static IEnumerable<(int Start, int Length)> Words(string folded)
    {
        for (var i = 0; i < folded.Length;)
        {
            if (!char.IsLetterOrDigit(folded[i])) { i++; continue; }
            var start = i;
            while (i < folded.Length && char.IsLetterOrDigit(folded[i])) i++;
            yield return (start, i - start);
        }
    }
}
