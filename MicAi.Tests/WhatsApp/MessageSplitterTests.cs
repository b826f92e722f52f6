using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

public class MessageSplitterTests
{
    private static string Words(int count, int seed = 7)
    {
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, count).Select(i => new string((char)('a' + i % 26), random.Next(1, 12))));
    }

    [Fact]
    public void Split_ReturnsTextUnchanged_WhenItFits()
    {
        var exact = new string('x', MessageSplitter.MaxTextLength);

        Assert.Equal([" hi there "], MessageSplitter.Split(" hi there "));
        Assert.Equal([exact], MessageSplitter.Split(exact));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void Split_ReturnsNothing_ForBlankText(string text)
    {
        Assert.Empty(MessageSplitter.Split(text));
    }

    [Fact]
    public void Split_CutsOnlyAtWordBoundaries_AndKeepsOrder()
    {
        var text = Words(3000);

        var parts = MessageSplitter.Split(text);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, MessageSplitter.MaxTextLength));
        Assert.All(parts, p => Assert.Equal(p.Trim(), p));
        Assert.Equal(text, string.Join(' ', parts));
    }

    [Fact]
    public void Split_FillsPartsToTheLimit_WhenASpaceFollowsIt()
    {
        var text = new string('a', 10) + " " + new string('b', 10);

        Assert.Equal([new string('a', 10), new string('b', 10)], MessageSplitter.Split(text, 10));
    }

    [Fact]
    public void Split_PrefersLineBreaks_InTheSecondHalf()
    {
        var text = "first paragraph here\nsecond one follows on";

        Assert.Equal(["first paragraph here", "second one follows on"], MessageSplitter.Split(text, 30));
    }

    [Fact]
    public void Split_HardCutsOnlyAWordLongerThanTheLimit()
    {
        var text = "ab " + new string('x', 25) + " cd";

        var parts = MessageSplitter.Split(text, 10);

        Assert.Equal(["ab", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx cd"], parts);
    }

    [Fact]
    public void Split_NeverSeparatesASurrogatePair()
    {
        var text = "a" + string.Concat(Enumerable.Repeat("😀", 20)); // one BMP char, then pairs: every even cut is mid-pair

        var parts = MessageSplitter.Split(text, 10);

        Assert.All(parts, p =>
        {
            Assert.InRange(p.Length, 1, 10);
            Assert.False(char.IsLowSurrogate(p[0]));
            Assert.False(char.IsHighSurrogate(p[^1]));
        });
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void Split_KeepsNonAsciiWordsWhole()
    {
        var text = string.Join(' ', Enumerable.Repeat("crème brûlée ☕👍🏽 مرحبا", 400));

        var parts = MessageSplitter.Split(text, 500);

        Assert.All(parts, p => Assert.True(p.Length <= 500));
        Assert.True(parts.Count > 1);
        Assert.Equal(text, string.Join(' ', parts));
    }
}
