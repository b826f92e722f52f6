using System.Net;
using System.Text.Json;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Functions;

/// <summary>The HTTP functions, run by the real published worker process with real requests.</summary>
public sealed class FunctionsHttpTests(FunctionsWorkerFixture fx) : IClassFixture<FunctionsWorkerFixture>
{
    private async Task<HttpResponseMessage> InvokeAsync(string function, HttpRequestMessage request)
    {
        var (response, invocation) = await fx.Host.InvokeHttpAsync(function, request, CancellationToken.None);
        Assert.True(invocation.Succeeded, $"{function} failed: {invocation.Exception}\n{fx.Host.Diagnostics()}");
        return response;
    }

    [Fact]
    public async Task Health_Returns200StatusOk()
    {
        var response = await InvokeAsync("Health", new HttpRequestMessage(HttpMethod.Get, "/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task WebhookGet_EchoesTheChallenge_WhenVerifyTokenMatches()
    {
        var response = await InvokeAsync("WebhookGet", new HttpRequestMessage(HttpMethod.Get,
            $"/webhook?hub.mode=subscribe&hub.verify_token={FunctionsWorkerFixture.VerifyToken}&hub.challenge=1158201444"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1158201444", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebhookGet_Returns403_WhenVerifyTokenIsWrong()
    {
        var response = await InvokeAsync("WebhookGet", new HttpRequestMessage(HttpMethod.Get,
            "/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task WebhookPost_Returns401AndStoresNothing_WhenSignatureIsForged()
    {
        var wamid = Webhooks.NewWamid();
        var response = await InvokeAsync("WebhookPost", Webhooks.Post(Webhooks.Text("15550007001", wamid, "michael: hello"), secret: "forged"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE wamid = $1", wamid));
    }

    [Fact]
    public async Task WebhookPost_VerifiesTheSignatureOverTheRawBytes_OfASignedMetaFixture()
    {
        // The fixture is signed over its exact bytes (trailing newline included): any re-encoding on the way fails.
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "meta", "webhooks", "text_simple.json"));
        var request = Webhooks.Post(bytes, secret: null);
        request.Headers.Add("X-Hub-Signature-256", FixtureFacts.Signature("webhooks/text_simple.json"));

        var response = await InvokeAsync("WebhookPost", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE wamid = $1", FixtureFacts.MessageIds("webhooks/text_simple.json")[0]));
    }

    [Fact]
    public async Task Admin_Returns401_WithoutTheAdminKey()
    {
        var response = await InvokeAsync("Admin", new HttpRequestMessage(HttpMethod.Get, "/manage/stats"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Admin_ServesCoreRouteTable_WithTheAdminKey()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/manage/stats");
        request.Headers.Add("x-admin-key", FunctionsWorkerFixture.AdminKey);

        var response = await InvokeAsync("Admin", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, body.RootElement.ValueKind);
    }

    [Fact]
    public async Task Admin_Returns405_ForAKnownPathWithTheWrongMethod()
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, "/manage/stats");
        request.Headers.Add("x-admin-key", FunctionsWorkerFixture.AdminKey);

        var response = await InvokeAsync("Admin", request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Admin_Returns404_ForAnUnknownOperation()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/manage/no-such-thing");
        request.Headers.Add("x-admin-key", FunctionsWorkerFixture.AdminKey);

        var response = await InvokeAsync("Admin", request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
