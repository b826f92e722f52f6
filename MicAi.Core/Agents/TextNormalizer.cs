using System.Buffers;
using System.Globalization;
using System.Text;

namespace MicAi.Core.Agents;

/// <summary>Case- and accent-insensitive matching: "Olá" and "ola" are the same word.</summary>
/// <remarks>
/// MicAi runs with InvariantGlobalization, where string.Normalize leaves "á" as it is, so accents are folded with
/// tables instead: each precomposed Latin letter whose canonical decomposition is an ASCII letter plus marks maps to
/// that letter ('.' = no mapping; generated from Unicode NFD). Combining marks sent separately are dropped.
/// </remarks>
public static class TextNormalizer
{
    private const int Latin1Start = 0x00C0; // Latin-1 Supplement letters, Latin Extended-A and -B
    private const string Latin1ToExtendedB =
        "AAAAAA.CEEEEIIII.NOOOOO..UUUUY..aaaaaa.ceeeeiiii.nooooo..uuuuy.y" +
        "AaAaAaCcCcCcCcDd..EeEeEeEeEeGgGgGgGgHh..IiIiIiIiI...JjKk.LlLlLl." +
        "...NnNnNn...OoOoOo..RrRrRrSsSsSsSsTtTt..UuUuUuUuUuUuWwYyYZzZzZz." +
        "................................Oo.............Uu..............." +
        ".............AaIiOoUuUuUuUuUu.AaAa....GgKkOoOo..j...Gg..NnAa...." +
        "AaAaEeEeIiIiOoOoRrRrUuUuSsTt..Hh......AaEeOoOoOoOoYy............" +
        "................";

    private const int AdditionalStart = 0x1E00; // Latin Extended Additional (Vietnamese and others)
    private const string Additional =
        "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm" +
        "MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv" +
        "WwWwWwWwWwXxXxYyZzZzZzhtwy......AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe" +
        "EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy......";

    /// <summary>Folded text is never longer than the text: up to this many chars it is folded on the stack.</summary>
    private const int StackFold = 256;

    public static string Fold(string text) => WithFolded(text, 0, static (folded, _) => new string(folded));

    /// <summary>
    /// Whether the whole text is one of <paramref name="foldedWords"/> (already folded), ignoring case, accents,
    /// surrounding whitespace and trailing punctuation: how STOP, "human" and "help" are recognised. Folds into a
    /// buffer of its own, so a long message (any message is checked) costs no allocation.
    /// </summary>
    public static bool IsCommand(ReadOnlySpan<char> text, IEnumerable<string> foldedWords) =>
        WithFolded(text, foldedWords, static (folded, words) =>
        {
            var command = folded.Trim().TrimEnd(CommandEnd);
            foreach (var word in words)
                if (command.SequenceEqual(word)) return true;
            return false;
        });

    /// <summary>Hands <paramref name="use"/> the folded text in a stack or pooled buffer, valid only during the call.</summary>
    private static T WithFolded<TState, T>(ReadOnlySpan<char> text, TState state, Func<ReadOnlySpan<char>, TState, T> use)
    {
        char[]? rented = null;
        Span<char> buffer = text.Length <= StackFold ? stackalloc char[StackFold] : rented = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            return use(buffer[..FoldInto(text, buffer)], state);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Trailing characters a command may end with ("STOP!", "help?").</summary>
    private const string CommandEnd = ".!? ";

    /// <returns>How many chars of <paramref name="folded"/> (at least <paramref name="text"/>'s length) were written.</returns>
    /// <remarks>
    /// Runs of ASCII, most of most messages, are lower-cased vectorized (no ASCII char is a mark or has a base letter to
    /// fold to); only the other chars go through the tables. Every message is folded several times (each command check,
    /// the rules), and char by char that was ~5 µs per 1.5 KB message each time (bench).
    /// </remarks>
    private static int FoldInto(ReadOnlySpan<char> text, Span<char> folded)
    {
        var n = 0;
        while (true)
        {
            Ascii.ToLower(text, folded[n..], out var ascii); // stops before the first non-ASCII char
            n += ascii;
            if (ascii == text.Length) return n;
            var c = text[ascii];
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                folded[n++] = char.ToLowerInvariant(BaseLetter(c));
            text = text[(ascii + 1)..];
        }
    }

    private static char BaseLetter(char c)
    {
        var mapped = c switch
        {
            >= (char)Latin1Start and < (char)(Latin1Start + 400) => Latin1ToExtendedB[c - Latin1Start],
            >= (char)AdditionalStart and < (char)(AdditionalStart + 256) => Additional[c - AdditionalStart],
            _ => '.',
        };
        return mapped == '.' ? c : mapped;
    }

    /// <summary>Whole-word (or whole-phrase) containment on folded text.</summary>
    public static bool ContainsWord(string foldedText, string foldedWord)
    {
        if (foldedWord.Length == 0) return false;
        for (var at = foldedText.IndexOf(foldedWord, StringComparison.Ordinal); at >= 0;
             at = foldedText.IndexOf(foldedWord, at + 1, StringComparison.Ordinal))
        {
            var end = at + foldedWord.Length;
            if ((at == 0 || !char.IsLetterOrDigit(foldedText[at - 1])) && (end == foldedText.Length || !char.IsLetterOrDigit(foldedText[end])))
                return true;
        }
        return false;
    }
}
