using System.Text;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.WhatsApp;

/// <summary>U+0000 cannot be stored (Postgres text and jsonb): the parser refuses it before any statement runs.</summary>
public class WebhookParserNulTests
{
    [Theory]
    [InlineData("text", "michael: a\u0000b")]
    [InlineData("wamid", "wamid.\u0000")]
    [InlineData("profile", "Ana\u0000")]
    public void Parse_ReturnsInvalid_WhenAStringHoldsUPlus0000(string where, string value)
    {
        var body = where switch
        {
            "text" => Webhooks.Text("15550009998", "wamid.N1", value),
            "wamid" => Webhooks.Text("15550009998", value, "hi"), // Webhooks.Text does not escape the id: \u0000 goes in raw
            _ => Webhooks.Text("15550009998", "wamid.N1", "hi", profileName: value),
        };
        if (where == "wamid") body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\0", "\\u0000"));

        var result = WebhookParser.Parse(body);

        Assert.False(result.IsValid);
        Assert.Equal(WebhookParser.NulProblem, result.Error);
    }

    [Fact]
    public void Parse_ReturnsInvalid_WhenAPropertyNameInAnUnknownFieldHoldsUPlus0000()
    {
        var json = Encoding.UTF8.GetString(Webhooks.Text("15550009998", "wamid.N2", "hi"))
            .Replace("\"field\":\"messages\"", "\"field\":\"messages\",\"future\":{\"a\\u0000\":1}");

        Assert.Equal(WebhookParser.NulProblem, WebhookParser.Parse(Encoding.UTF8.GetBytes(json)).Error);
    }

    [Fact]
    public void Parse_KeepsTheSixCharactersBackslashU0000_WhenTheBackslashItselfIsEscaped()
    {
        var result = WebhookParser.Parse(Webhooks.Text("15550009998", "wamid.N3", "path C:\\u0000"));

        Assert.True(result.IsValid, result.Error);
        Assert.Equal("path C:\\u0000", Assert.Single(result.Batch!.Messages).AgentText);
    }
}
