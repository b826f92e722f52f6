using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Admin;
using MicAi.Core.WebUi;
using MicAi.Tests.Admin;
using MicAi.Tests.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace MicAi.Tests.Console;

/// <summary>The console's sign-in and session over plain HTTP against the in-memory Host: cookie, CSRF, expiry.</summary>
public sealed class ConsoleSessionTests(AdminResourceFixture fx) : IClassFixture<AdminResourceFixture>
{
    private ConsoleClient Console(string baseAddress = "http://localhost") => new(fx.Api, baseAddress);

    [Fact]
    public async Task SignIn_SetsAnHttpOnlyStrictExpiringCookie_AndNeverEchoesTheKey()
    {
        var console = Console();
        var response = await console.SignInAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = ConsoleClient.SetCookie(response)!;
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Strict, cookie.SameSite);
        Assert.False(cookie.Secure); // plain HTTP here: a Secure cookie would never come back
        Assert.Equal("/", cookie.Path.ToString());
        Assert.Equal(fx.Time.GetUtcNow().AddMinutes(480).ToUnixTimeSeconds(), cookie.Expires!.Value.ToUnixTimeSeconds());
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(MicAiApiFactory.AdminKey, body + cookie.Value);
        Assert.Equal("/admin", JsonNode.Parse(body)!["admin_base"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignIn_OverHttps_MarksTheCookieSecure()
    {
        var response = await Console("https://localhost").SignInAsync();

        Assert.True(ConsoleClient.SetCookie(response)!.Secure);
    }

    [Fact]
    public async Task SignIn_WithAWrongKey_Is401_AndSetsNoCookie()
    {
        var response = await Console().SignInAsync("not-the-key");

        await ProblemAssert.StatusAsync(response, 401);
        Assert.Null(ConsoleClient.SetCookie(response));
    }

    [Fact]
    public async Task SignIn_FromAnotherOrigin_Is403_AndAFormPost_Is415()
    {
        var console = Console();
        var crossSite = await console.Http.SendAsync(ConsoleClient.SignInRequest(MicAiApiFactory.AdminKey, origin: "https://evil.example"));
        var form = await console.Http.PostAsync(ConsoleClient.Session, new FormUrlEncodedContent([new("key", MicAiApiFactory.AdminKey)]));

        await ProblemAssert.StatusAsync(crossSite, 403);
        await ProblemAssert.StatusAsync(form, 415);
        Assert.Null(ConsoleClient.SetCookie(crossSite));
    }

    [Fact]
    public async Task Session_ReadsTheAdminApi_WithoutTheKey()
    {
        var console = Console();
        await console.SignInAsync();

        var stats = await console.SendAsync(HttpMethod.Get, "/admin/stats", csrf: false);
        var current = await console.SendAsync(HttpMethod.Get, ConsoleClient.Session, csrf: false);

        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal(console.CsrfToken, (await current.Content.ReadFromJsonAsync<JsonObject>())!["csrf_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task StateChange_WithTheSessionButNoCsrfToken_Is403_AndChangesNothing()
    {
        var console = Console();
        await console.SignInAsync();

        var refused = await console.SendAsync(HttpMethod.Post, "/admin/agents", csrf: false, body: new { name = "csrf-less" });
        var agents = await (await console.SendAsync(HttpMethod.Get, "/admin/agents?limit=200")).Content.ReadFromJsonAsync<JsonObject>();

        await ProblemAssert.StatusAsync(refused, 403);
        Assert.DoesNotContain(agents!["items"]!.AsArray(), a => a!["name"]!.GetValue<string>() == "csrf-less");
        var accepted = await console.SendAsync(HttpMethod.Post, "/admin/agents", body: new { name = "with-token" });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task StateChange_WithAnotherSessionsCsrfToken_Is403()
    {
        var first = Console();
        var second = Console();
        await first.SignInAsync();
        await second.SignInAsync();

        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/outbound/pause");
        request.Headers.Add(HeaderNames.Cookie, $"{AdminSession.CookieName}={first.Cookie}");
        request.Headers.Add(AdminSession.CsrfHeader, second.CsrfToken);

        await ProblemAssert.StatusAsync(await first.Http.SendAsync(request), 403);
    }

    [Fact]
    public async Task AlteredCookie_Is401_LikeNoKey()
    {
        var console = Console();
        await console.SignInAsync();
        var parts = console.Cookie!.Split('.');
        var laterExpiry = string.Join('.', parts[0], (long.Parse(parts[1]) + 86_400).ToString(), parts[2], parts[3]);

        await ProblemAssert.StatusAsync(await console.SendAsync(HttpMethod.Get, "/admin/stats", cookie: laterExpiry), 401);
        await ProblemAssert.StatusAsync(await console.SendAsync(HttpMethod.Get, "/admin/stats", cookie: "v1.9999999999.abc.def"), 401);
    }

    [Fact]
    public async Task Session_Expires_AfterItsLifetime()
    {
        var console = Console();
        await console.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await console.SendAsync(HttpMethod.Get, "/admin/stats")).StatusCode);

        fx.Time.Advance(TimeSpan.FromMinutes(481));

        await ProblemAssert.StatusAsync(await console.SendAsync(HttpMethod.Get, "/admin/stats"), 401);
        Assert.Equal(HttpStatusCode.NoContent, (await console.SendAsync(HttpMethod.Get, ConsoleClient.Session)).StatusCode); // the page shows the form
    }

    [Fact]
    public async Task SignOut_NeedsTheCsrfToken_AndExpiresTheCookie()
    {
        var console = Console();
        await console.SignInAsync();

        await ProblemAssert.StatusAsync(await console.SendAsync(HttpMethod.Delete, ConsoleClient.Session, csrf: false), 403);
        var signedOut = await console.SendAsync(HttpMethod.Delete, ConsoleClient.Session);

        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        var cleared = ConsoleClient.SetCookie(signedOut)!;
        Assert.True(cleared.Expires < fx.Time.GetUtcNow() || cleared.Value.Length == 0);
    }

    [Fact]
    public async Task KeyPaths_AreUnchanged_AWrongKeyWithAValidSessionIsStill401()
    {
        var console = Console();
        await console.SignInAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/stats");
        request.Headers.Add(HeaderNames.Cookie, $"{AdminSession.CookieName}={console.Cookie}");
        request.Headers.Add(AdminAccessFilter.KeyHeader, "wrong-key");

        await ProblemAssert.StatusAsync(await console.Http.SendAsync(request), 401);
    }

    [Fact]
    public async Task ConsolePage_IsServedWithTheStrictPolicy_AndItsFilesRelativeToIt()
    {
        var http = Console().Http;
        var page = await http.GetAsync(ConsoleClient.Page);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(BrowserSecurity.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("src=\"console/assets/console.js\"", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("style=", html);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/console/assets/console.js")).StatusCode);
        var slash = await http.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.Redirect, slash.StatusCode);
        Assert.Equal("/console", slash.Headers.Location!.ToString());
    }
}
