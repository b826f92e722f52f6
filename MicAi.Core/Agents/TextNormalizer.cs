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

    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                sb.Append(char.ToLowerInvariant(BaseLetter(c)));
        return sb.ToString();
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
