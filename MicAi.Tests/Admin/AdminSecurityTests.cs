using System.Collections.Concurrent;
using MicAi.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Admin;

/// <summary>Allowlist with trusted proxies, the auth-failure limit, and keys kept out of the logs.</summary>
public sealed class AdminSecurityTests : IAsyncLifetime
{
    private readonly CapturedLogs logs = new();
    private MicAiApiFactory api = null!;
    private WebApplicationFactory<Program> app = null!;

    public async Task InitializeAsync()
    {
        var settings = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/");
        settings["MICAI_ADMIN_ALLOWED_CIDRS"] = "192.0.2.0/24, 2001:db8::/32";
        settings["MICAI_TRUSTED_PROXIES"] = "10.0.0.1, 10.0.1.0/24";
        settings["MICAI_ADMIN_AUTH_FAILURES_PER_MINUTE"] = "3";
        api = new MicAiApiFactory(settings);
        app = api.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
    }

    private Task<HttpContext> SendAsync(string peer, string? key = MicAiApiFactory.AdminKey, string? forwardedFor = null, bool bearer = false) =>
        ProxiedAdminRequest.SendAsync(app.Server, peer, key, forwardedFor is null ? null : "X-Forwarded-For=" + forwardedFor, bearer);

    [Theory]
    [InlineData("192.0.2.10", null, 200)]                     // inside the allowlist
    [InlineData("::ffff:192.0.2.11", null, 200)]              // IPv4-mapped peer
    [InlineData("2001:db8::5", null, 200)]
    [InlineData("198.51.100.7", null, 403)]                   // outside
    [InlineData("10.0.0.1", "192.0.2.55", 200)]               // trusted proxy forwards an allowed client
    [InlineData("10.0.0.1", "198.51.100.7", 403)]             // trusted proxy forwards a refused client
    [InlineData("10.0.0.1", "192.0.2.55, 10.0.1.7", 200)]     // two trusted hops are skipped
    [InlineData("10.0.0.1", "198.51.100.9, 192.0.2.55", 200)] // the nearest untrusted hop decides; what it claims is not believed
    [InlineData("198.51.100.8", "192.0.2.55", 403)]           // an untrusted peer cannot spoof its way in
    [InlineData("10.0.0.1", null, 403)]                       // the proxy itself is not an allowed client
    [InlineData("10.0.0.1", "192.0.2.55:443", 200)]           // a hop with a port (App Gateway, App Service) still parses
    [InlineData("10.0.0.1", "[2001:db8::9]:443", 200)]
    public async Task Allowlist_UsesTheForwardedAddress_OnlyFromTrustedProxies(string peer, string? forwardedFor, int expected)
    {
        var context = await SendAsync(peer, forwardedFor: forwardedFor);
        Assert.Equal(expected, context.Response.StatusCode);
    }

    [Fact]
    public async Task RepeatedAuthFailures_FromOneAddress_Return429_EvenWithTheRightKeyAfterwards()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(401, (await SendAsync("192.0.2.20", key: "wrong-key-" + i)).Response.StatusCode);

        var limited = await SendAsync("192.0.2.20", key: "wrong-key-3");
        Assert.Equal(429, limited.Response.StatusCode);
        Assert.Equal("60", limited.Response.Headers.RetryAfter.ToString());
        Assert.Equal(429, (await SendAsync("192.0.2.20")).Response.StatusCode);
        Assert.Equal(429, (await SendAsync("10.0.0.1", forwardedFor: "192.0.2.20")).Response.StatusCode); // same client behind the proxy
        Assert.Equal(200, (await SendAsync("192.0.2.21", bearer: true)).Response.StatusCode);               // other addresses unaffected
    }

    [Fact]
    public async Task AdminKeys_AreNeverLogged()
    {
        const string guess = "guessed-admin-key-XYZZY";
        await SendAsync("192.0.2.30", key: guess);
        await SendAsync("192.0.2.31", key: guess, bearer: true);
        await SendAsync("192.0.2.32");

        Assert.Contains(logs.Messages, m => m.Contains("192.0.2.30", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(guess, StringComparison.Ordinal) || m.Contains(MicAiApiFactory.AdminKey, StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await api.DisposeAsync();
    }
}
