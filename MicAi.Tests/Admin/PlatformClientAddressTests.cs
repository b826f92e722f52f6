namespace MicAi.Tests.Admin;

/// <summary>
/// Which address the admin allowlist sees behind each platform's proxy, through the real Host. The allowlist is
/// 198.51.100.0/24 and 2001:db8::/32 (an operator); 203.0.113.66 is an attacker; 104.16.0.0/13 and 2606:4700::/32
/// are Cloudflare edges; 10.21.157.68 is Render's proxy as a service sees it.
/// </summary>
public sealed class PlatformClientAddressTests(PlatformHosts hosts) : IClassFixture<PlatformHosts>
{
    private const string Render = "RENDER=true";
    private const string Azure = "WEBSITE_SITE_NAME=micai-func";

    [Theory]
    // Render: client → Cloudflare (appends the client) → Render's proxy (appends the Cloudflare edge) → MicAi.
    [InlineData(Render, "10.21.157.68", "X-Forwarded-For=198.51.100.7, 104.22.17.40", 200)]
    [InlineData(Render, "10.21.157.68", "X-Forwarded-For=2001:db8::7, 2606:4700::6", 200)]
    // what a client wrote on the left is never believed: Cloudflare appended its real address after it
    [InlineData(Render, "10.21.157.68", "X-Forwarded-For=198.51.100.7, 203.0.113.66, 104.22.17.40", 403)]
    [InlineData(Render, "10.21.157.68", "X-Forwarded-For=198.51.100.7|X-Forwarded-For=203.0.113.66, 104.22.17.40", 403)]
    // exactly Cloudflare's hop, not "skip every Cloudflare address": a client on a Cloudflare address (a Worker) is that address
    [InlineData(Render, "10.21.157.68", "X-Forwarded-For=198.51.100.7, 104.16.0.9, 104.22.17.40", 403)]
    // no Cloudflare edge last: Render's proxy saw the client itself and appended it
    [InlineData(Render, "10.21.157.68", "X-Forwarded-For=198.51.100.7", 200)]
    [InlineData(Render, "10.21.157.68", "X-Forwarded-For=198.51.100.7, 203.0.113.66", 403)]
    // no header, or garbage where Cloudflare's hop should be: the edge or the proxy, never an allowed client
    [InlineData(Render, "10.21.157.68", null, 403)]
    [InlineData(Render, "10.21.157.68", "X-Forwarded-For=garbage, 104.22.17.40", 403)]
    // a peer that is not Render's proxy (a public address) did not come through it: its header is ignored
    [InlineData(Render, "203.0.113.66", "X-Forwarded-For=198.51.100.7, 104.22.17.40", 403)]
    [InlineData(Render, "198.51.100.8", "X-Forwarded-For=203.0.113.66, 104.22.17.40", 200)]
    // Azure App Service / Functions: the front end overwrites Client-IP with ip:port; nothing else is believed
    [InlineData(Azure, "10.0.0.9", "Client-IP=198.51.100.7:50123", 200)]
    [InlineData(Azure, "10.0.0.9", "Client-IP=[2001:db8::7]:443", 200)]
    [InlineData(Azure, "10.0.0.9", "Client-IP=203.0.113.66:50123|X-Client-IP=198.51.100.7|X-Forwarded-For=198.51.100.7", 403)]
    [InlineData(Azure, "10.0.0.9", "X-Forwarded-For=198.51.100.7", 403)]
    [InlineData(Azure, "10.0.0.9", "Client-IP=198.51.100.7:1|Client-IP=203.0.113.66:2", 403)]
    // an explicit MICAI_TRUSTED_PROXIES wins over the platform: only the listed proxies are walked through
    [InlineData(Render + ";MICAI_TRUSTED_PROXIES=10.0.0.0/8", "10.21.157.68", "X-Forwarded-For=198.51.100.7, 104.22.17.40", 403)]
    [InlineData(Render + ";MICAI_TRUSTED_PROXIES=10.0.0.0/8, 104.16.0.0/13", "10.21.157.68", "X-Forwarded-For=198.51.100.7, 104.22.17.40", 200)]
    // no platform and no list: the peer, whatever it sends
    [InlineData("MICAI_APP_ENV=test", "10.21.157.68", "X-Forwarded-For=198.51.100.7|Client-IP=198.51.100.7:1", 403)]
    public async Task Allowlist_SeesTheAddressThePlatformsProxyWrote_NeverOneAClientForged(string platform, string peer, string? headers, int expected)
    {
        var host = await hosts.GetAsync(platform);
        var context = await ProxiedAdminRequest.SendAsync(host.Server, peer, headers: headers);
        Assert.Equal(expected, context.Response.StatusCode);
    }
}
