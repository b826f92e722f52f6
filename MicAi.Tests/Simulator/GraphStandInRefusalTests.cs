using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Simulator;

/// <summary>The Graph stand-in refuses what the Cloud API refuses, with Graph's error shape (TestData/meta/graph/error_*.json).</summary>
public sealed class GraphStandInRefusalTests(SimulatorApiFixture fixture) : IClassFixture<SimulatorApiFixture>
{
    private const string Valid = """{"messaging_product":"whatsapp","recipient_type":"individual","to":"15550002222","type":"text","text":{"body":"hi"}}""";

    private async Task<(HttpStatusCode Status, JsonObject Error, HttpResponseMessage Response)> PostAsync(string body, string? token = MicAiApiFactory.AccessToken, string? path = null)
    {
        using var http = fixture.GraphClient(token);
        var response = await http.PostAsync(path ?? SimulatorApiFixture.MessagesPath, new StringContent(body, Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (response.StatusCode, json["error"]?.AsObject() ?? [], response);
    }

    private static void AssertGraphError(JsonObject error, int code)
    {
        Assert.Equal(code, error["code"]!.GetValue<int>());
        Assert.Equal("OAuthException", error["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(error["fbtrace_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GraphStandIn_Returns401WithCode190AndGraphsErrorShape_WhenTheTokenIsWrong()
    {
        var (status, error, response) = await PostAsync(Valid, token: "not-the-access-token");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertGraphError(error, 190);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        Assert.Null(error["error_data"]);
    }

    [Fact]
    public async Task GraphStandIn_Returns401_WhenNoTokenIsSent()
    {
        var (status, error, _) = await PostAsync(Valid, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertGraphError(error, 190);
    }

    [Fact]
    public async Task GraphStandIn_RefusesATextBodyOf4097Characters_WithCode100AndGraphsDetails()
    {
        var body = Valid.Replace("\"hi\"", $"\"{new string('a', 4097)}\"");

        var (status, error, _) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertGraphError(error, 100);
        Assert.Equal("whatsapp", error["error_data"]!["messaging_product"]!.GetValue<string>());
        Assert.Equal("Param text['body'] must be at most 4096 characters long.", error["error_data"]!["details"]!.GetValue<string>());
    }

    [Fact]
    public async Task GraphStandIn_AcceptsATextBodyOf4096Emoji_BecauseGraphCountsCharactersNotUtf16Units()
    {
        var body = Valid.Replace("\"hi\"", $"\"{string.Concat(Enumerable.Repeat("😀", 4096))}\"");

        var (status, _, _) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task GraphStandIn_RefusesAnUnknownType_WithCode100NamingTheAllowedTypes()
    {
        var (status, error, _) = await PostAsync("""{"messaging_product":"whatsapp","to":"15550002222","type":"carousel","carousel":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertGraphError(error, 100);
        var details = error["error_data"]!["details"]!.GetValue<string>();
        Assert.Contains("TEXT", details);
        Assert.Contains("\"carousel\"", details);
    }

    [Theory]
    [InlineData("""{"to":"15550002222","type":"text","text":{"body":"hi"}}""", "messaging_product")]
    [InlineData("""{"messaging_product":"whatsapp","type":"text","text":{"body":"hi"}}""", "to")]
    [InlineData("""{"messaging_product":"whatsapp","to":"15550002222","type":"text"}""", "text")]
    [InlineData("""{"messaging_product":"whatsapp","to":"15550002222","type":"text","text":{"preview_url":false}}""", "text['body']")]
    [InlineData("""{"messaging_product":"whatsapp","to":"15550002222","type":"template","template":{"name":"hello_world"}}""", "template['language']")]
    [InlineData("""{"messaging_product":"whatsapp","to":"15550002222","type":"template","template":{"language":{"code":"en_US"}}}""", "template['name']")]
    [InlineData("""{"messaging_product":"whatsapp","to":"15550002222","type":"image","image":{"caption":"no media"}}""", "exactly one of id or link")]
    [InlineData("""{"messaging_product":"whatsapp","to":"15550002222","type":"interactive","interactive":{"type":"button","body":{"text":"Pick"},"action":{"buttons":[]}}}""", "1 to 3 buttons")]
    [InlineData("""{"messaging_product":"whatsapp","to":"15550002222","type":"interactive","interactive":{"type":"button","body":{"text":"Pick"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"This title is far too long"}}]}}}""", "at most 20 characters")]
    [InlineData("""{"messaging_product":"whatsapp","to":"not a number","type":"text","text":{"body":"hi"}}""", "phone number or a business-scoped user id")]
    [InlineData("""{"messaging_product":"sms","to":"15550002222","type":"text","text":{"body":"hi"}}""", "WHATSAPP")]
    [InlineData("""[1,2,3]""", "JSON object")]
    public async Task GraphStandIn_RefusesWhatGraphRefuses_WithCode100(string body, string expected)
    {
        var (status, error, _) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertGraphError(error, 100);
        Assert.Contains(expected, error["message"]!.GetValue<string>() + " " + error["error_data"]?["details"]?.GetValue<string>());
    }

    [Fact]
    public async Task GraphStandIn_RefusesAnotherPhoneNumberId_WithCode100Subcode33()
    {
        var (status, error, _) = await PostAsync(Valid, path: "/simulator/graph/v24.0/999999999/messages");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertGraphError(error, 100);
        Assert.Equal(33, error["error_subcode"]!.GetValue<int>());
        Assert.Contains("'999999999'", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task GraphStandIn_RefusesMarkAsRead_OfAMessageNoCustomerSent()
    {
        var (status, error, _) = await PostAsync("""{"messaging_product":"whatsapp","status":"read","message_id":"wamid.never-delivered"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertGraphError(error, 100);
    }

    [Fact]
    public async Task GraphStandIn_AnswersAnyOtherPathWithGraphsUnsupportedRequest()
    {
        using var http = fixture.GraphClient();
        var response = await http.GetAsync(SimulatorApiFixture.MessagesPath);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.AsObject();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertGraphError(error, 100);
        Assert.StartsWith("Unsupported get request", error["message"]!.GetValue<string>());
    }
}
