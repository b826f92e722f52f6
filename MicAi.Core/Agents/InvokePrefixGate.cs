
namespace MicAi.Core.Agents;

/// <summary>
/// In groups and shared numbers the bot answers only when called: "michael: hello", "@michael hello", "/ask hello".
/// Matching ignores case and whitespace; the prefix is stripped so rules see "hello" (the Python service forgot
/// this, so its prefix rules never matched).
/// </summary>
public sealed class InvokePrefixGate(AgentSettings settings)
{
    /// <summary>The text the agent should see, or null when the bot was not called.</summary>
    public string? Admit(string text)
    {
        var end = AfterPrefix(text);
        if (end >= 0) return Rest(text, end).ToString();
        return settings.RequireInvokePrefix ? null : text.Trim();
    }

    /// <summary>
    /// Whether the whole message is one of <paramref name="foldedKeywords"/> (STOP, START, "human"): the invoke prefix
    /// stripped if there is one, compared folded (case and accents), trailing punctuation dropped.
    /// </summary>
    public bool IsCommand(string text, IEnumerable<string> foldedKeywords)
    {
        var end = AfterPrefix(text);
        return TextNormalizer.IsCommand(end < 0 ? text : Rest(text, end), foldedKeywords);
    }

    /// <returns>Where the first configured prefix the text starts with ends, or -1 when it starts with none.</returns>
    private int AfterPrefix(string text)
    {
        foreach (var prefix in settings.InvokePrefixes)
            if (PrefixEnd(text, prefix) is var end and >= 0) return end;
        return -1;
    }

    public static bool TryStrip(string text, string prefix, out string rest)
    {
        var end = PrefixEnd(text, prefix);
        rest = end < 0 ? "" : Rest(text, end).ToString();
        return end >= 0;
    }

    /// <summary>What follows the prefix: its separator (":", ",") and surrounding whitespace dropped.</summary>
    private static ReadOnlySpan<char> Rest(string text, int prefixEnd) => text.AsSpan(prefixEnd).TrimStart(":, ").Trim();

    /// <returns>Where the prefix ends in <paramref name="text"/>, or -1 when the text does not start with it.</returns>
    private static int PrefixEnd(string text, string prefix)
    {
        int t = 0, p = 0;
        while (true)
        {
            while (p < prefix.Length && char.IsWhiteSpace(prefix[p])) p++;
            if (p == prefix.Length) break; // before skipping text whitespace: the boundary check below needs it
            while (t < text.Length && char.IsWhiteSpace(text[t])) t++;
            if (t == text.Length || char.ToLowerInvariant(text[t]) != char.ToLowerInvariant(prefix[p])) return -1;
            t++; p++;
        }
        // "@michaelangelo" is not "@michael": a prefix ending in a letter must end at a word boundary.
        var last = prefix.TrimEnd();
        if (last.Length > 0 && char.IsLetterOrDigit(last[^1]) && t < text.Length && char.IsLetterOrDigit(text[t])) return -1;
        return t;
    }
}
