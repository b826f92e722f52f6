using System.Text;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

public class WebhookParserInvalidTests
{
    [Theory]
    [InlineData("")]
    [InlineData("{\"x\":")]
    [InlineData("[]")]
    [InlineData("\"whatsapp_business_account\"")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"object\":\"page\",\"entry\":[]}")]
    [InlineData("{\"object\":\"whatsapp_business_account\"}")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":{}}")]
    [InlineData("{\"object\":42,\"entry\":[]}")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[]} trailing")]
    public void Parse_ReturnsInvalid_WhenBodyIsNotAWhatsAppEnvelope(string body)
    {
        var result = WebhookParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.False(result.IsValid);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Fact]
    public void Parse_ReturnsInvalid_ForRandomBytes()
    {
        var random = new Random(20260112);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            Assert.False(WebhookParser.Parse(bytes).IsValid);
        }
    }

    private static readonly byte[] Palette = [.. "{}[]\":,0-9a\\ \t"u8, 0xFF, 0xC3, 0x80];

    [Fact]
    public void Parse_NeverThrows_OnTruncatedOrMutatedFixtures()
    {
        var random = new Random(42);
        var runs = 0;
        foreach (var file in MetaFixtures.WebhookFiles())
        {
            var original = MetaFixtures.Bytes(file);
            // Every prefix that stops before the closing brace is broken JSON.
            for (var cut = 0; cut < original.Length - 2; cut += 29, runs++)
                Assert.False(WebhookParser.Parse(original.AsMemory(0, cut)).IsValid);
            for (var i = 0; i < 50; i++, runs++)
            {
                var mutated = (byte[])original.Clone();
                for (var k = random.Next(1, 4); k > 0; k--)
                    mutated[random.Next(mutated.Length)] = Palette[random.Next(Palette.Length)];
                var result = WebhookParser.Parse(mutated); // must return, valid or not
                Assert.True(result.IsValid ^ result.Error is not null);
            }
        }
        Assert.True(runs > 2000, $"{runs} runs");
    }

    [Fact]
    public void Parse_NeverThrows_WhenUtf8IsMalformed()
    {
        var envelope = Encoding.UTF8.GetBytes("{\"object\":\"whatsapp_business_account??\",\"entry\":[]}");
        envelope[36] = 0xC3; envelope[37] = 0x28; // invalid continuation byte inside "object"
        var message = MetaFixtures.Bytes("webhooks/text_simple.json");
        var at = Encoding.UTF8.GetString(message).IndexOf("Hi! Do", StringComparison.Ordinal);
        message[at] = 0xC3; message[at + 1] = 0x28; // same inside text.body

        Assert.False(WebhookParser.Parse(envelope).IsValid);
        Assert.False(WebhookParser.Parse(message).IsValid);
    }

    [Fact]
    public void Parse_KeepsMessage_WhenTextHoldsALoneSurrogateEscape()
    {
        var json = System.Text.Encoding.UTF8.GetString(MetaFixtures.Bytes("webhooks/text_simple.json"))
            .Replace("Hi! Do you", "Hi! \\udc00 Do you");

        var result = WebhookParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.True(result.IsValid, result.Error);
        var m = Assert.Single(result.Batch!.Messages);
        Assert.Null(m.AgentText);
        Assert.False(m.Answerable);
    }

    [Theory]
    [InlineData(65, false)]
    [InlineData(5000, false)]
    [InlineData(64, true)]
    public void Parse_RejectsBodiesNestedDeeperThan64(int depth, bool valid)
    {
        // depth counts the envelope object + entry array + the nested arrays inside entry[0]'s "x".
        var inner = new string('[', depth - 3) + new string(']', depth - 3);
        var body = $"{{\"object\":\"whatsapp_business_account\",\"entry\":[{{\"x\":{inner}}}]}}";

        var result = WebhookParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(valid, result.IsValid);
        if (valid) Assert.Empty(result.Batch!.Messages);
    }

    [Fact]
    public void Parse_SkipsUnknownShapesInsideAValidEnvelope_AndKeepsUnusableMessagesAsInvalid()
    {
        const string body = """
            {"object":"whatsapp_business_account","entry":[
              1, "x", null, {"changes":{}}, {"changes":[1, {"field":"messages"}, {"field":"messages","value":[]},
              {"field":"messages","value":{"metadata":"?","contacts":7,"messages":[
                 "nope", {"id":"no-from","timestamp":"1"},
                 {"from":"1555","id":"wamid.A","timestamp":"bad","type":"text","text":{"body":"hi"}},
                 {"from":"1555","id":"wamid.B","timestamp":1768212000,"type":"poll","poll":{"q":1}},
                 {"from":42,"from_user_id":"US.1","id":"wamid.C","timestamp":"1768212000","type":"text","text":"flat"}],
               "statuses":[{"id":"wamid.S"}, {"id":"wamid.T","status":"deleted","timestamp":"1768212000"}],
               "errors":[{"code":"x"}]}}]}]}
            """;

        var result = WebhookParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.True(result.IsValid, result.Error);
        var batch = result.Batch!;
        var usable = batch.Messages.Where(m => m.InvalidReason is null).ToList();
        Assert.Equal(["wamid.B", "wamid.C"], usable.Select(m => m.Wamid));
        Assert.Equal(("", "1555", false, null), (usable[0].PhoneNumberId, usable[0].WaId, usable[0].Answerable, usable[0].AgentText));
        Assert.Equal(("US.1", null, false), (usable[1].WaId, usable[1].Phone, usable[1].Answerable));
        var invalid = batch.Messages.Where(m => m.InvalidReason is not null).ToList();
        Assert.Equal(3, invalid.Count);
        Assert.StartsWith("invalid:", invalid[0].Wamid); // "nope" has no id of its own
        Assert.Equal(("no-from", ""), (invalid[1].Wamid, invalid[1].WaId));
        Assert.Equal(("wamid.A", "1555", null), (invalid[2].Wamid, invalid[2].WaId, invalid[2].Timestamp));
        Assert.All(invalid, m => Assert.False(m.Answerable));
        Assert.Equal(("wamid.T", "deleted", ""), (Assert.Single(batch.Statuses).ProviderMessageId, batch.Statuses[0].Status, batch.Statuses[0].RecipientId));
        Assert.Equal(1, batch.Skipped); // the status without a status
        Assert.Equal((0, ""), (Assert.Single(batch.Errors).Code, batch.Errors[0].Title));
    }
}
