using MicAi.Core.Agents;

namespace MicAi.Tests.Agents;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("Olá", "ola")]
    [InlineData("AÇÃO", "acao")]
    [InlineData("Crème Brûlée", "creme brulee")]
    [InlineData("Straße", "straße")]
    [InlineData("ÑANDÚ", "nandu")]
    [InlineData("hello", "hello")]
    [InlineData("", "")]
    public void Fold_LowercasesAndRemovesAccents(string text, string expected) =>
        Assert.Equal(expected, TextNormalizer.Fold(text));

    [Fact]
    public void Fold_TreatsComposedAndDecomposedFormsAlike() =>
        Assert.Equal(TextNormalizer.Fold("Ol\u00E1"), TextNormalizer.Fold("Ola\u0301"));

    [Theory]
    [InlineData(200)] // folded on the stack
    [InlineData(1_000)] // in a pooled buffer
    public void Fold_OfMixedText_IsTheFoldOfEachCharInTurn(int length)
    {
        // Folding is per char; what is checked is the seams: ASCII runs of every length (folded vectorized) between
        // accented letters, combining marks (dropped) and surrogate pairs (kept).
        string[] pieces = ["Olá", "Ola\u0301", "ÇÃO", "ß", "👋", "Ǆ", "Ⅻ", "İ", "a", "MiXeD ", "ẞ", "\u0300", "x.Y!", "ŉ"];
        var random = new Random(3);
        var text = new System.Text.StringBuilder();
        while (text.Length < length) text.Append(pieces[random.Next(pieces.Length)]).Append('Q', random.Next(0, 40));

        var folded = TextNormalizer.Fold(text.ToString());

        Assert.Equal(string.Concat(text.ToString().Select(c => TextNormalizer.Fold(c.ToString()))), folded);
        Assert.Contains("mixed", folded);
        Assert.DoesNotContain('\u0301', folded);
        Assert.DoesNotContain('Q', folded);
    }

    [Fact]
    public void Fold_KeepsEmojiAndOtherSymbols() =>
        Assert.Equal("oi 👋 (teste)", TextNormalizer.Fold("Oi 👋 (Teste)"));

    [Theory]
    [InlineData("hello there", "hello", true)]
    [InlineData("oh, hello!", "hello", true)]
    [InlineData("hello", "hello", true)]
    [InlineData("helloworld", "hello", false)]
    [InlineData("othello hello", "hello", true)]
    [InlineData("othello", "hello", false)]
    [InlineData("room 42b", "42", false)]
    [InlineData("room 42", "42", true)]
    [InlineData("good morning all", "good morning", true)]
    [InlineData("anything", "", false)]
    [InlineData("", "hello", false)]
    public void ContainsWord_MatchesWholeWordsOnly(string text, string word, bool expected) =>
        Assert.Equal(expected, TextNormalizer.ContainsWord(text, word));
}
