using System.Text;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

public class GraphResponsesTests
{
    [Fact]
    public void ParseSend_ReadsWamid_FromTextSuccess()
    {
        var sent = GraphResponses.ParseSend(MetaFixtures.Bytes("graph/send_text_success.json"));

        Assert.Equal(new SendAccepted(MetaFixtures.OutboundId("OUT_TEXT_ANA")!, null), sent);
    }

    [Fact]
    public void ParseSend_ReadsWamidAndStatus_FromTemplateSuccess()
    {
        var sent = GraphResponses.ParseSend(MetaFixtures.Bytes("graph/send_template_success.json"));

        Assert.Equal(new SendAccepted(MetaFixtures.OutboundId("OUT_TEMPLATE_BOB")!, "accepted"), sent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"messages\":[]}")]
    [InlineData("{\"messages\":[{\"id\":\"\"}]}")]
    [InlineData("{\"messages\":{\"id\":\"x\"}}")]
    [InlineData("{\"success\":true}")]
    public void ParseSend_ReturnsNull_WhenNoMessageId(string body)
    {
        Assert.Null(GraphResponses.ParseSend(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void IsSuccess_ReadsMarkReadResponse()
    {
        Assert.True(GraphResponses.IsSuccess(MetaFixtures.Bytes("graph/mark_read_success.json")));
        Assert.False(GraphResponses.IsSuccess("{\"success\":false}"u8));
        Assert.False(GraphResponses.IsSuccess("{\"success\":\"true\"}"u8));
        Assert.False(GraphResponses.IsSuccess("<html>"u8));
    }
}
