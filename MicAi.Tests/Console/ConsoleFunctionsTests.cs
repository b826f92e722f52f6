using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Admin;
using MicAi.Core.WebUi;
using MicAi.Tests.Functions;
using Microsoft.Net.Http.Headers;

namespace MicAi.Tests.Console;

/// <summary>
/// The console on Functions: /manage/console through the Admin catch-all, routed by the stand-in host with the real
/// host's rules (a route starting with "admin" would be refused there), its session working on /manage.
/// </summary>
public sealed class ConsoleFunctionsTests(FunctionsWorkerFixture fx) : IClassFixture<FunctionsWorkerFixture>
{
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var (response, invocation) = await fx.Host.InvokeHttpAsync("Admin", request, CancellationToken.None);
        Assert.True(invocation.Succeeded, $"Admin failed: {invocation.Exception}\n{fx.Host.Diagnostics()}");
        return response;
    }

    private static HttpRequestMessage WithSession(HttpMethod method, string path, string cookie, string? csrf = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(HeaderNames.Cookie, $"{AdminSession.CookieName}={cookie}");
        if (csrf is not null) request.Headers.Add(AdminSession.CsrfHeader, csrf);
        return request;
    }

    [Fact]
    public async Task Functions_ServesTheConsoleAtManageConsole_AndItsSessionWorksOnTheManageApi()
    {
        var page = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/manage/console"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(BrowserSecurity.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/manage/console/assets/console.js"))).StatusCode);

        var wrong = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/manage/console/api/session") { Content = JsonContent.Create(new { key = "nope" }) });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var signIn = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/manage/console/api/session")
            { Content = JsonContent.Create(new { key = FunctionsWorkerFixture.AdminKey }) });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var session = (await signIn.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("/manage", session["admin_base"]!.GetValue<string>());
        var cookie = ConsoleClient.SetCookie(signIn)!.Value.ToString();

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(WithSession(HttpMethod.Get, "/manage/stats", cookie))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(WithSession(HttpMethod.Post, "/manage/outbound/resume", cookie))).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await SendAsync(WithSession(HttpMethod.Post, "/manage/outbound/resume", cookie, session["csrf_token"]!.GetValue<string>()))).StatusCode);
    }
}
