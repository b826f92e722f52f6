using System.Globalization;
using System.Text;

namespace MicAi.Core.Agents;

/// <summary>Case- and accent-insensitive matching: "Olá" and "ola" are the same word.</summary>
public static class TextNormalizer
{
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
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
