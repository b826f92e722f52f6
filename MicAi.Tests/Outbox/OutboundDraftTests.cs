using MicAi.Core.Outbox;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.Outbox;

public sealed class OutboundDraftTests
{
    private static OutboundDraft Reply(string body) =>
        new(OutboundDraft.ReplyKey("wamid.IN1"), "15550002222", "106540352242922", "text", body, ContextMessageId: "wamid.IN1");

    [Fact]
    public void SplitText_KeepsAShortReply_AsItIs()
    {
        var draft = Reply(new string('a', MessageSplitter.MaxTextLength));
        Assert.Same(draft, Assert.Single(draft.SplitText()));
    }

    [Fact]
    public void SplitText_NumbersThePartsKeys_AndQuotesOnlyInTheFirst()
    {
        var body = string.Join(' ', Enumerable.Repeat("lorem", 2000)); // 11,999 chars
        var parts = Reply(body).SplitText();

        Assert.Equal(["reply:wamid.IN1", "reply:wamid.IN1#2", "reply:wamid.IN1#3"], parts.Select(p => p.IdempotencyKey));
        Assert.Equal(["wamid.IN1", null, null], parts.Select(p => p.ContextMessageId));
        Assert.Equal(body, string.Join(' ', parts.Select(p => p.Body)));
        Assert.All(parts, p => Assert.Equal(("15550002222", "text"), (p.WaId, p.Kind)));
    }

    [Fact]
    public void SplitText_LeavesTemplatesAlone()
    {
        var template = new OutboundDraft("schedule:1:1", "15550002222", "", "template", new string('x', 9000), TemplateName: "digest");
        Assert.Same(template, Assert.Single(template.SplitText()));
    }

    [Theory]
    [InlineData(1, "reply:w")]
    [InlineData(2, "reply:w#2")]
    [InlineData(12, "reply:w#12")]
    public void PartKey_IsTheBaseKeyThenHashNumber(int part, string expected) =>
        Assert.Equal(expected, OutboundDraft.PartKey("reply:w", part));
}
