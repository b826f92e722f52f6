using System.Text.Json.Nodes;
using MicAi.Core.Agents;
using MicAi.Core.Simulator;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

/// <summary>Rich replies as rendered for Graph, checked by the simulator's strict Graph stand-in rules.</summary>
public class RichReplyTests
{
    private static JsonObject Sent(OutboundContent content) =>
        JsonNode.Parse(CloudApiRequests.Rich("15550002222", content, "wamid.IN", "reply:wamid.IN"))!.AsObject();

    [Fact]
    public void ReplyButtons_RenderAsAnInteractiveMessage_TheStrictGraphStandInAccepts()
    {
        var content = RichReplyJson.Render(new RichReply { Buttons = [new("menu-hours", "Opening hours"), new("menu-order", "Order")] }, "Pick one")!;
        var sent = Sent(content);

        var (refusal, message) = MessageContent.Read("interactive", sent);
        Assert.Null(refusal);
        Assert.Equal(["menu-hours", "menu-order"], message!.Choices!.Select(c => c.Id));
        Assert.Equal(("interactive", "button", "Pick one", "wamid.IN"),
            (sent["type"]!.GetValue<string>(), sent["interactive"]!["type"]!.GetValue<string>(),
             sent["interactive"]!["body"]!["text"]!.GetValue<string>(), sent["context"]!["message_id"]!.GetValue<string>()));
    }

    [Fact]
    public void ReplyList_RendersAsAnInteractiveList_TheStrictGraphStandInAccepts()
    {
        var content = RichReplyJson.Render(new RichReply
        {
            Button = "Sizes",
            Sections = [new("Cups", [new("s", "Small", "250 ml"), new("m", "Medium")]), new("Pots", [new("l", "Large", "1 l")])],
        }, "Which size?")!;

        var (refusal, message) = MessageContent.Read("interactive", Sent(content));
        Assert.Null(refusal);
        Assert.Equal(["s", "m", "l"], message!.Choices!.Select(c => c.Id));
    }

    [Fact]
    public void ReplyMedia_RendersTheDocumentByLinkWithCaptionAndFilename()
    {
        var content = RichReplyJson.Render(new RichReply { Media = new("document", Link: "https://example.com/menu.pdf", Caption: "Our menu", Filename: "menu.pdf") }, "")!;
        var sent = Sent(content);

        Assert.Equal("document", sent["type"]!.GetValue<string>());
        Assert.Equal(("https://example.com/menu.pdf", "Our menu", "menu.pdf"),
            (sent["document"]!["link"]!.GetValue<string>(), sent["document"]!["caption"]!.GetValue<string>(), sent["document"]!["filename"]!.GetValue<string>()));
    }

    [Fact]
    public void RuleInput_ReportsEachMetaLimit_AsAFieldError()
    {
        var tooMany = new RuleInput { Keywords = ["menu"], Action = "reply_buttons", ReplyText = "b", Buttons = [new("a", "A"), new("b", "B"), new("c", "C"), new("d", "D")] };
        var longTitle = new RuleInput { Keywords = ["menu"], Action = "reply_buttons", ReplyText = "b", Buttons = [new("a", new string('x', MetaLimits.ButtonTitle + 1))] };
        var longRow = new RuleInput
        {
            Keywords = ["menu"], Action = "reply_list", ReplyText = "b", Button = "Open",
            Sections = [new(null, [new("r1", new string('t', MetaLimits.RowTitle + 1), new string('d', MetaLimits.RowDescription + 1))])],
        };
        var badMedia = new RuleInput { Keywords = ["menu"], Action = "reply_media", Media = new("gif", Link: "ftp://x") };

        Assert.Contains("buttons", tooMany.Validate().Keys);
        Assert.Contains("buttons[0].title", longTitle.Validate().Keys);
        Assert.Equal(["sections[0].rows[0].description", "sections[0].rows[0].title"], longRow.Validate().Keys.Order());
        Assert.Equal(["media.link", "media.type"], badMedia.Validate().Keys.Order());
    }

    [Fact]
    public void RuleInput_AcceptsLimitsExactly_CountingASurrogatePairAsOneCharacter()
    {
        var title = string.Concat(Enumerable.Repeat("😀", MetaLimits.ButtonTitle)); // 40 UTF-16 units, 20 characters
        var input = new RuleInput
        {
            Keywords = ["menu"], Action = "reply_buttons", ReplyText = "b",
            Buttons = [new(new string('i', MetaLimits.ButtonId), title), new("2", "B"), new("3", "C")],
        };
        Assert.Empty(input.Validate());
    }

    [Fact]
    public void RuleEngine_MatchesATap_ByItsIdEvenWhenTheTitleSaysSomethingElse()
    {
        var byId = new AgentRule(1, 1, "keyword", true, 100, ["menu-hours"], null, "reply_text", null, "9 to 5");
        var other = new AgentRule(2, 1, "keyword", true, 50, ["order"], null, "reply_text", null, "order");

        Assert.Equal(1, RuleEngine.Match([byId, other], "Opening hours", "MENU-HOURS")?.Id);
        Assert.Null(RuleEngine.Match([byId], "Opening hours", null));
    }
}
