
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
        foreach (var prefix in settings.InvokePrefixes)
            if (TryStrip(text, prefix, out var rest)) return rest;
        return settings.RequireInvokePrefix ? null : text.Trim();
    }

    /// <summary>
    /// A whole-message command as compared with keywords (STOP, START, "human"): the invoke prefix stripped if there is
    /// one, folded (case and accents), trailing punctuation dropped.
    /// </summary>
    public string Command(string text)
    {
        var message = text;
        foreach (var prefix in settings.InvokePrefixes)
            if (TryStrip(text, prefix, out var rest)) { message = rest; break; }
        return TextNormalizer.Fold(message).Trim().TrimEnd('.', '!', '?', ' ');
    }

    public static bool TryStrip(string text, string prefix, out string rest)
    {
        rest = "";
        int t = 0, p = 0;
        while (true)
        {
            while (p < prefix.Length && char.IsWhiteSpace(prefix[p])) p++;
            if (p == prefix.Length) break; // before skipping text whitespace: the boundary check below needs it
            while (t < text.Length && char.IsWhiteSpace(text[t])) t++;
            if (t == text.Length || char.ToLowerInvariant(text[t]) != char.ToLowerInvariant(prefix[p])) return false;
            t++; p++;
        }
        // "@michaelangelo" is not "@michael": a prefix ending in a letter must end at a word boundary.
        var last = prefix.TrimEnd();
        if (last.Length > 0 && char.IsLetterOrDigit(last[^1]) && t < text.Length && char.IsLetterOrDigit(text[t])) return false;
        rest = text[t..].TrimStart(':', ',', ' ').Trim();
        return true;
    }
}
