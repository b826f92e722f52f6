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
