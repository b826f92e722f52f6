using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using MicAi.Core.WebUi;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Simulator;

/// <summary>The page, its assets and its API: strict browser headers, no inline code, bad input refused clearly.</summary>
public sealed partial class SimulatorPageTests(SimulatorApiFixture fixture) : IClassFixture<SimulatorApiFixture>
{
    [Fact]
    public async Task SimulatorPage_IsServedWithAStrictContentSecurityPolicy_AndNosniff()
    {
        using var http = fixture.Client();

        var response = await http.GetAsync("/simulator");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(BrowserSecurity.ContentSecurityPolicy, csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task SimulatorPage_HasNoInlineScriptStyleOrEventHandler()
    {
        using var http = fixture.Client();
        var html = await http.GetStringAsync("/simulator/");

        Assert.All(ScriptTag().Matches(html), m => Assert.Contains(" src=\"/simulator/assets/", m.Value));
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(InlineAttribute(), html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html); // no CDN
    }

    [Theory]
    [InlineData("simulator.js", "text/javascript; charset=utf-8")]
    [InlineData("api.js", "text/javascript; charset=utf-8")]
    [InlineData("render.js", "text/javascript; charset=utf-8")]
    [InlineData("simulator.css", "text/css; charset=utf-8")]
    public async Task SimulatorAssets_AreServedFromTheAssembly_With304WhenTheETagMatches(string name, string type)
    {
        using var http = fixture.Client();
        var first = await http.GetAsync($"/simulator/assets/{name}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(type, first.Content.Headers.ContentType!.ToString());
        Assert.NotNull(first.Headers.GetValues("Content-Security-Policy").Single());

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/simulator/assets/{name}");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task SimulatorAssets_Return404ProblemDetails_ForAnUnknownName()
    {
        using var http = fixture.Client();
        var response = await http.GetAsync("/simulator/assets/missing.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("""{"phone":"12"}""", "7 to 15 digits")]
    [InlineData("""{"username":"a"}""", "3 to 35")]
    [InlineData("""{"phone":"15550001234","username":"both"}""", "either")]
    [InlineData("""{"username":"eli.park","countryCode":"USA"}""", "two letters")]
    [InlineData("""not json""", "not valid JSON")]
    public async Task AddCustomer_Returns400ProblemDetails_ForBadInput(string body, string expected)
    {
        using var http = fixture.Client();
        var response = await http.PostAsync("/simulator/api/customers", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SimulatorApi_Refuses403_AStateChangeFromAnotherOrigin_And415_AFormPost()
    {
        using var http = fixture.Client();
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/simulator/api/customers")
        {
            Content = new StringContent("""{"phone":"15550001234"}""", Encoding.UTF8, "application/json"),
        };
        crossSite.Headers.Add("Origin", "https://evil.example");
        var form = await http.PostAsync("/simulator/api/customers", new FormUrlEncodedContent([new("phone", "15550001234")]));

        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(crossSite)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Null(fixture.Api.Get<Core.Simulator.SimulatorStore>().FindCustomer("15550001234"));
    }

    [Fact]
    public async Task SendingAsACustomer_Returns404_ForAnUnknownCustomer()
    {
        using var http = fixture.Client();
        var response = await http.PostAsJsonAsync("/simulator/api/customers/15559990000/messages", new { text = "hi" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task CustomerMessage_IsPostedSignedToWebhook_AndStoredOnceByMicAi()
    {
        using var http = fixture.Client();
        (await http.PostAsJsonAsync("/simulator/api/customers", new { phone = "+1 555 000 7777", name = "Ana" })).EnsureSuccessStatusCode();

        var response = await http.PostAsJsonAsync("/simulator/api/customers/15550007777/messages", new { text = "michael: hello" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<Core.Simulator.SimMessage>())!;
        Assert.Equal("sent", message.Status); // MicAi answered 200: the signature (app secret set) was right
        await using var db = NpgsqlDataSource.Create(Core.Configuration.ConnectionStrings.ToNpgsql(fixture.DatabaseUrl));
        Assert.Equal("15550007777", await db.ScalarAsync<string>("SELECT wa_id FROM inbound_messages WHERE wamid = $1", message.Wamid));
    }

    [GeneratedRegex(@"<script\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\s(style|on[a-z]+)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineAttribute();
}
