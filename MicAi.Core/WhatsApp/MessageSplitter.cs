namespace MicAi.Core.WhatsApp;

/// <summary>
/// Splits a reply into ordered parts that each fit WhatsApp's text body limit. Cuts at a line break (when one falls
/// in the second half of the part) or else at the last whitespace; only a single word longer than the limit is cut
/// mid-word, and never between the two halves of a surrogate pair. Length is counted in UTF-16 code units, which is
/// never less than Meta's character count, so a part is never rejected as too long.
/// </summary>
public static class MessageSplitter
{
    /// <summary>Cloud API maximum for <c>text.body</c>.</summary>
    public const int MaxTextLength = MetaLimits.TextBody;

    /// <summary>The parts in order; empty when the text is empty or only whitespace.</summary>
    public static IReadOnlyList<string> Split(string text, int maxLength = MaxTextLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (string.IsNullOrWhiteSpace(text)) return [];
        if (text.Length <= maxLength) return [text];

        var parts = new List<string>();
        var start = 0;
        while (true)
        {
            // Whitespace at a cut belongs to neither part.
            while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
            if (start >= text.Length) break;
            if (text.Length - start <= maxLength)
            {
                parts.Add(text[start..].TrimEnd());
                break;
            }
            var cut = BreakAt(text, start, maxLength);
            parts.Add(text[start..cut].TrimEnd());
            start = cut;
        }
        return parts;
    }

    private static int BreakAt(string text, int start, int max)
    {
        // The window includes the first character past the limit: a space there allows a full-length part.
        var window = text.AsSpan(start, max + 1);
        var newline = window.LastIndexOf('\n');
        if (newline > max / 2) return start + newline;
        for (var k = max; k > 0; k--)
            if (char.IsWhiteSpace(window[k])) return start + k;

        var limit = start + max;
        return char.IsLowSurrogate(text[limit]) && char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
    }
}
