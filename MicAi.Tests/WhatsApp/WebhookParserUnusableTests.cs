using System.Text;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

/// <summary>A message MicAi cannot use is kept with its reason, never dropped; a message that names no sender is its one contact's.</summary>
public sealed class WebhookParserUnusableTests
{
    private static byte[] Envelope(string message, string contacts = """[{"profile":{"name":"Ana"},"wa_id":"15550002222"}]""") => Encoding.UTF8.GetBytes(
        $$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
          "contacts":{{{contacts}}},"messages":[{{{message}}}]}}]}]}
        """);

    private static InboundMessage ParseOne(byte[] body)
    {
        var result = WebhookParser.Parse(body);
        Assert.True(result.IsValid, result.Error);
        return Assert.Single(result.Batch!.Messages);
    }

    [Theory]
    [InlineData("""{"from":"15550002222","id":"wamid.T1","timestamp":"99999999999999999999999","type":"text","text":{"body":"hi"}}""", "timestamp", "15550002222")]
    [InlineData("""{"from":"15550002222","id":"wamid.T2","timestamp":"-5","type":"text","text":{"body":"hi"}}""", "timestamp", "15550002222")]
    [InlineData("""{"from":"15550002222","id":"wamid.T3","type":"text","text":{"body":"hi"}}""", "timestamp is missing", "15550002222")]
    [InlineData("""{"from":"15550002222","id":"wamid.T4","timestamp":{"s":1},"type":"text","text":{"body":"hi"}}""", "timestamp is an object", "15550002222")]
    [InlineData("""{"from":"15550002222","id":null,"timestamp":"1768212000","type":"text","text":{"body":"hi"}}""", "id is null", "15550002222")]
    [InlineData("""{"from":"15550002222","id":42,"timestamp":"1768212000","type":"text","text":{"body":"hi"}}""", "id is a number", "15550002222")]
    [InlineData("""{"from":"15550002222","timestamp":"1768212000","type":"text","text":{"body":"hi"}}""", "id is missing", "15550002222")]
    [InlineData("""{"from":null,"id":"wamid.T5","timestamp":"1768212000","type":"text","text":{"body":"hi"}}""", "from is null", "")]
    [InlineData("""{"from":15550002222,"id":"wamid.T6","timestamp":"1768212000","type":"text","text":{"body":"hi"}}""", "from is a number", "")]
    [InlineData("""{"from":"15550002222","id":"wamid.T7","timestamp":"1768212000","type":7,"text":{"body":"hi"}}""", "type is a number", "15550002222")]
    public void Parse_KeepsUnusableMessage_AsInvalidWithItsReason_AndItsSenderWhenKnown(string message, string reason, string waId)
    {
        var m = ParseOne(Envelope(message));

        Assert.Contains(reason, m.InvalidReason);
        Assert.Equal(waId, m.WaId);
        Assert.False(m.Answerable);
        Assert.Null(m.AgentText);
        Assert.Contains("\"changes\"", m.Json); // the raw entry, as Meta sent it
    }

    [Fact]
    public void Parse_KeysAnInvalidMessageWithoutId_ByItsBytes_SoARedeliveryIsTheSameRow()
    {
        const string message = """{"from":"15550002222","id":null,"timestamp":"1768212000","type":"text","text":{"body":"hi"}}""";
        var first = ParseOne(Envelope(message));
        var again = ParseOne(Envelope(message));
        var other = ParseOne(Envelope(message.Replace("hi", "ho")));

        Assert.StartsWith("invalid:", first.Wamid);
        Assert.Equal(first.Wamid, again.Wamid);
        Assert.NotEqual(first.Wamid, other.Wamid);
    }

    [Fact]
    public void Parse_TakesTheSender_FromTheOneContact_WhenTheMessageNamesNone()
    {
        var m = ParseOne(MetaFixtures.Bytes("webhooks/text_no_sender_one_contact_user_id.json"));

        Assert.Null(m.InvalidReason);
        Assert.Equal(("PT.20483920184729301847", null, "PT.20483920184729301847", "Rui Costa"), (m.WaId, m.Phone, m.UserId, m.ProfileName));
        Assert.True(m.Answerable);
        Assert.Equal("michael: is the shop open on Sunday?", m.AgentText);
    }

    [Fact]
    public void Parse_PrefersTheOneContactsWaId_OverItsUserId()
    {
        var m = ParseOne(Envelope("""{"id":"wamid.W","timestamp":"1768212000","type":"text","text":{"body":"hi"}}""",
            """[{"profile":{"name":"Ana"},"wa_id":"15550002222","user_id":"US.1"}]"""));

        Assert.Equal(("15550002222", "15550002222", "US.1", "Ana"), (m.WaId, m.Phone, m.UserId, m.ProfileName));
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""[{"wa_id":"15550002222"},{"wa_id":"15550003333"}]""")]
    [InlineData("""[{"profile":{"name":"nobody"}}]""")]
    public void Parse_KeepsMessageWithoutSender_AsInvalid_UnlessExactlyOneContactNamesOne(string contacts)
    {
        var m = ParseOne(Envelope("""{"id":"wamid.N","timestamp":"1768212000","type":"text","text":{"body":"hi"}}""", contacts));

        Assert.Contains("no sender", m.InvalidReason);
        Assert.Equal(("wamid.N", ""), (m.Wamid, m.WaId));
    }
}
