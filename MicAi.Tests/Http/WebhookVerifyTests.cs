using System.Net;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Http;

public sealed class WebhookVerifyTests(WebhookApiFixture fx) : IClassFixture<WebhookApiFixture>
{
    [Fact]
    public async Task Verify_EchoesChallengeAsPlainText_WhenTokenMatches()
    {
        var response = await fx.Api.CreateClient().GetAsync($"/webhook?hub.mode=subscribe&hub.verify_token={MicAiApiFactory.VerifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("subscribe", "wrong-token")]
    [InlineData("unsubscribe", MicAiApiFactory.VerifyToken)]
    public async Task Verify_Returns403_WhenModeOrTokenIsWrong(string mode, string token)
    {
        var response = await fx.Api.CreateClient().GetAsync($"/webhook?hub.mode={mode}&hub.verify_token={token}&hub.challenge=42");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/webhook")]
    [InlineData("/webhook?hub.mode=subscribe&hub.challenge=42")]
    [InlineData("/webhook?hub.mode=subscribe&hub.verify_token=x")]
    public async Task Verify_Returns400_WhenParametersAreMissing(string url)
    {
        var response = await fx.Api.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Health_ReturnsUnchangedContract()
    {
        var response = await fx.Api.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_Returns200_WhenPostgresAndRedisAnswer()
    {
        var response = await fx.Api.CreateClient().GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"postgres\":\"ok\"", await response.Content.ReadAsStringAsync());
    }
}
