using System.Text.Json.Nodes;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

public class CloudApiRequestsTests
{
    private static void AssertSameJson(string fixture, byte[] actual)
    {
        var expected = JsonNode.Parse(MetaFixtures.Bytes($"graph/requests/{fixture}"));
        var got = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(expected, got), $"expected {expected?.ToJsonString()}\nactual   {got?.ToJsonString()}");
    }

    [Fact]
    public void Text_WritesNonAsciiAsUtf8_AndEscapesOnlyWhatJsonRequiresAndEmoji()
    {
        const string said = "Olá, não chegou 😊 <b>&'+ \"quoted\" back\\slash\ttab مرحبا";

        var body = CloudApiRequests.Text("15550002222", said);

        // Accents, Arabic and the HTML-sensitive chars as they are; quotes, backslash and tab escaped as JSON requires.
        // An emoji (outside the Basic Multilingual Plane) is still a surrogate-pair escape: .NET's encoders allow
        // only BMP chars through.
        Assert.Contains("""
            "body":"Olá, não chegou \uD83D\uDE0A <b>&'+ \"quoted\" back\\slash\ttab مرحبا"
            """, System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal(said, JsonNode.Parse(body)!["text"]!["body"]!.GetValue<string>());
    }

    [Fact]
    public void Text_MatchesFixture_WithoutPreviewWhenNoUrl()
    {
        var body = CloudApiRequests.Text("15550002222", "Hi Ana, the blue kettle is in stock. Want me to reserve one?");

        AssertSameJson("send_text.json", body);
    }

    [Fact]
    public void Text_MatchesFixture_ForContextualReplyWithCallbackData()
    {
        var body = CloudApiRequests.Text(
            "15550002222",
            "Reserved! Details: https://example.com/r/5521",
            replyToWamid: "wamid.HBgLMTU1NTAwMDIyMjIVAgASGBQ5RjBDMjJFQjc2RTRBMzBCMDkzMwA=",
            callbackData: "ticket=T-1042;attempt=2");

        AssertSameJson("send_text_reply_with_context.json", body);
    }

    [Fact]
    public void Template_MatchesFixture()
    {
        var body = CloudApiRequests.Template("15550003333", "delivery_update_v2", "en_US", ["Bob", "#5521"]);

        AssertSameJson("send_template.json", body);
    }

    [Fact]
    public void Template_OmitsComponents_WhenThereAreNoParameters()
    {
        var node = JsonNode.Parse(CloudApiRequests.Template("15550003333", "hello_world", "en_US", callbackData: "c1"))!;

        Assert.Null(node["template"]!["components"]);
        Assert.Equal("hello_world", (string?)node["template"]!["name"]);
        Assert.Equal("c1", (string?)node["biz_opaque_callback_data"]);
    }

    [Fact]
    public void MarkRead_MatchesFixtures_WithAndWithoutTypingIndicator()
    {
        const string wamid = "wamid.HBgLMTU1NTAwMDIyMjIVAgASGBQyQ0QwQjhBNTlCRDBBODZBMjA4NgA=";

        AssertSameJson("mark_read.json", CloudApiRequests.MarkRead(wamid));
        AssertSameJson("mark_read_with_typing_indicator.json", CloudApiRequests.MarkRead(wamid, typingIndicator: true));
    }

    [Theory]
    [InlineData("see http://x.test", true)]
    [InlineData("HTTPS://EXAMPLE.COM", true)]
    [InlineData("example.com/menu", false)]
    [InlineData("https:/broken", false)]
    [InlineData("ftp://files.test and mailto:x", false)]
    [InlineData("://x and then HtTp://y", true)]
    [InlineData("xhttps://y", true)]
    [InlineData("não chegou 😊 olá https:// ainda", true)]
    [InlineData("não chegou 😊 olá http:/ ainda ://", false)]
    public void Text_SetsPreviewUrl_OnlyForHttpLinks(string text, bool preview)
    {
        var node = JsonNode.Parse(CloudApiRequests.Text("1", text))!;

        Assert.Equal(preview, (bool)node["text"]!["preview_url"]!);
    }

    [Fact]
    public void Text_RoundTripsNonAsciiAndQuotes()
    {
        const string text = "Olá \"Zoë\" ☕👍🏽 مرحبا\nline2 \\ </script>";

        var node = JsonNode.Parse(CloudApiRequests.Text("US.13849205716630281947", text))!;

        Assert.Equal(text, (string?)node["text"]!["body"]);
        Assert.Equal("US.13849205716630281947", (string?)node["to"]);
    }

    [Fact]
    public void Bodies_WrittenOneAfterAnotherOnAThread_AreEachWhole_AfterOneThatFailedHalfWayAndOneLargerThanTheKeptBuffer()
    {
        // A thread reuses one writer and buffer: what one body left behind must never reach the next.
        Assert.ThrowsAny<Exception>(() => CloudApiRequests.Rich("15550002222", new OutboundContent("interactive", "{\"type\": ")));
        var large = new string('x', 40_000);
        var first = JsonNode.Parse(CloudApiRequests.Text("15550002222", large))!;
        var second = JsonNode.Parse(CloudApiRequests.MarkRead("wamid.A"))!;
        var third = JsonNode.Parse(CloudApiRequests.Text("15550003333", "short"))!;

        Assert.Equal(large, (string?)first["text"]!["body"]);
        Assert.Equal("""{"messaging_product":"whatsapp","status":"read","message_id":"wamid.A"}""", second.ToJsonString());
        Assert.Equal("short", (string?)third["text"]!["body"]);
        Assert.Equal("15550003333", (string?)third["to"]);
    }
}
