using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

/// <summary>
/// The failed-key limit behind a platform's proxy, at its default of ten a minute and with no allowlist: ten bad keys
/// lock out the one who sent them, not the operators who reach MicAi through the same proxy and the same edge.
/// </summary>
public sealed class PlatformLockoutTests : IAsyncLifetime
{
    private const string RenderProxy = "10.21.157.68";
    private const string CloudflareEdge = "104.22.17.40";
    private const string Attacker = "203.0.113.66";
    private const string Operator = "198.51.100.7";

    private MicAiApiFactory? host;

    private async Task<MicAiApiFactory> StartAsync(string platform) =>
        host = await PlatformHosts.StartAsync(platform, new Dictionary<string, string> { ["MICAI_ADMIN_ALLOWED_CIDRS"] = "" });

    [Fact]
    public async Task TenBadKeys_LockOutTheAttacker_ButNotAnOperatorBehindTheSameRenderProxyAndEdge()
    {
        var server = (await StartAsync("RENDER=true")).Server;
        var attacker = $"X-Forwarded-For={Attacker}, {CloudflareEdge}";
        for (var i = 0; i < 10; i++)
            Assert.Equal(401, (await ProxiedAdminRequest.SendAsync(server, RenderProxy, "wrong-" + i, attacker)).Response.StatusCode);

        Assert.Equal(429, (await ProxiedAdminRequest.SendAsync(server, RenderProxy, "wrong-10", attacker)).Response.StatusCode);
        Assert.Equal(429, (await ProxiedAdminRequest.SendAsync(server, RenderProxy, headers: attacker)).Response.StatusCode);
        // Claiming the operator's address on the left changes nothing: Cloudflare appended the attacker's after it.
        var forged = $"X-Forwarded-For={Operator}, {Attacker}, {CloudflareEdge}";
        Assert.Equal(429, (await ProxiedAdminRequest.SendAsync(server, RenderProxy, headers: forged)).Response.StatusCode);

        var operatorRequest = await ProxiedAdminRequest.SendAsync(server, RenderProxy, headers: $"X-Forwarded-For={Operator}, {CloudflareEdge}");
        Assert.Equal(200, operatorRequest.Response.StatusCode);
    }

    [Fact]
    public async Task TenBadKeys_LockOutTheAttacker_ButNotAnOperatorBehindTheSameAppServiceFrontEnd()
    {
        var server = (await StartAsync("WEBSITE_SITE_NAME=micai-func")).Server;
        const string frontEnd = "10.0.0.9";
        var attacker = $"Client-IP={Attacker}:50123";
        for (var i = 0; i < 10; i++)
            Assert.Equal(401, (await ProxiedAdminRequest.SendAsync(server, frontEnd, "wrong-" + i, attacker)).Response.StatusCode);

        Assert.Equal(429, (await ProxiedAdminRequest.SendAsync(server, frontEnd, "wrong-10", attacker)).Response.StatusCode);
        // The front end overwrites Client-IP, so what the attacker may add elsewhere does not move it to another count.
        var forged = $"Client-IP={Attacker}:50124|X-Client-IP={Operator}|X-Forwarded-For={Operator}";
        Assert.Equal(429, (await ProxiedAdminRequest.SendAsync(server, frontEnd, headers: forged)).Response.StatusCode);

        var operatorRequest = await ProxiedAdminRequest.SendAsync(server, frontEnd, headers: $"Client-IP={Operator}:40000");
        Assert.Equal(200, operatorRequest.Response.StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
    }
}
