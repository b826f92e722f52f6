using System.Net;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using StackExchange.Redis;

namespace MicAi.Tests.Configuration;

/// <summary>
/// bin/test's Redis speaks TLS only with a certificate from a private CA, and knows only the ACL user micai: MicAi
/// trusts that CA when the URL or the system says so, and refuses the server otherwise.
/// </summary>
public sealed class RedisTlsTests
{
    /// <summary>The rig's URL with its query (the CA) replaced, or removed when <paramref name="query"/> is empty.</summary>
    private static string WithQuery(string query) => new UriBuilder(TestServers.RedisUrl) { Query = query }.Uri.ToString();

    private static async Task<bool> ConnectsAsync(string url)
    {
        var options = ConnectionStrings.ToRedis(url);
        options.ConnectRetry = 1;
        options.ConnectTimeout = 3000;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        return redis.IsConnected && await redis.GetDatabase().PingAsync() >= TimeSpan.Zero;
    }

    [Fact]
    public async Task Connects_AsTheAclUser_OverTls_WhenSslCaCertsNamesTheServersCa()
    {
        Assert.StartsWith("rediss://micai:", TestServers.RedisUrl);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(TestServers.RedisUrl));

        Assert.Equal("micai", (string?)await redis.GetDatabase().ExecuteAsync("ACL", "WHOAMI"));
    }

    [Fact]
    public async Task RefusesTheServer_WhenSslCaCertsNamesAnotherCa()
    {
        var other = Path.Combine(Path.GetTempPath(), $"micai-other-ca-{Guid.NewGuid():N}.crt");
        await File.WriteAllTextAsync(other, TestCertificates.SelfSignedCaPem("Some other CA"));
        try
        {
            Assert.False(await ConnectsAsync(WithQuery("ssl_ca_certs=" + Uri.EscapeDataString(other))),
                "a server whose certificate that CA never issued was accepted");
        }
        finally { File.Delete(other); }
    }

    [Fact]
    public async Task RefusesTheServer_WhenNothingSaysToTrustItsPrivateCa()
    {
        Assert.True(await ConnectsAsync(TestServers.RedisUrl)); // the same server, with its CA named
        Assert.False(await ConnectsAsync(WithQuery("")), "a private CA's certificate was accepted on the system's roots alone");
    }

    [Fact]
    public async Task RefusesToConnect_AsTheDefaultUser_WhichTheRigSwitchesOff()
    {
        var uri = new UriBuilder(TestServers.RedisUrl) { UserName = "", Password = "" };
        Assert.False(await ConnectsAsync(uri.Uri.ToString()));
    }

    [Fact]
    public async Task Host_TrustsTheRedisCa_FromSslCertFile_AsTheSystemStore_AndNotWithout()
    {
        // The system-wide way: SSL_CERT_FILE names the bundle .NET on Linux reads as its root store (read at start).
        var url = WithQuery("");
        var env = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/");
        env[QueueSettings.Keys.RedisUrl] = url;
        var trusted = new Dictionary<string, string?>(env) { ["SSL_CERT_FILE"] = RedisRig.CaFile };
        var untrusted = new Dictionary<string, string?>(env) { ["SSL_CERT_FILE"] = null, ["SSL_CERT_DIR"] = null };
        var started = await Task.WhenAll(HostProcess.StartApiAsync(trusted), HostProcess.StartApiAsync(untrusted));
        await using var withCa = started[0];
        await using var withoutCa = started[1];

        using var http = new HttpClient();
        var ready = await ReadyAsync(http, withCa);
        Assert.True(ready.Status == HttpStatusCode.OK, $"{ready.Body}\n{withCa.Output}");
        var refused = await ReadyAsync(http, withoutCa);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Contains("\"redis\":\"unavailable", refused.Body);
    }

    /// <summary>/ready, given a few seconds for the first Redis connection.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> ReadyAsync(HttpClient http, HostProcess host)
    {
        (HttpStatusCode, string) last = default;
        for (var i = 0; i < 20; i++)
        {
            var response = await http.GetAsync(host.BaseUrl + "/ready");
            last = (response.StatusCode, await response.Content.ReadAsStringAsync());
            if (response.StatusCode == HttpStatusCode.OK) break;
            await Task.Delay(250);
        }
        return last;
    }
}
