using System.Net.Sockets;
using MicAi.Tests.Functions;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Rehearsal;

/// <summary>
/// The published Host's api as a Render web service sees the world: in a network namespace of its own
/// (<c>unshare --net</c>, bin/lib/render-proxy-hop) where every request arrives from Render's proxy at a private
/// address, and the only way in is that proxy (<see cref="CreateClient"/>). So <c>RENDER=true</c> is met by a real
/// peer in Render's proxy range, and the client address comes from the X-Forwarded-For the caller sends, as
/// Cloudflare and Render's proxy write it. The rig's servers are reached through <see cref="UnixSocketRelay"/>s on
/// their usual 127.0.0.1 ports, so URLs, TLS names and certificates are unchanged. Needs root (a network namespace),
/// iproute2 and socat (bin/test installs them).
/// </summary>
public sealed class RenderProxyHop : IAsyncDisposable
{
    /// <summary>An address of Render's proxy as a service sees it (Render reaches services over a private network).</summary>
    public const string ProxyAddress = "10.21.157.68";

    /// <summary>A Cloudflare edge: what Render's proxy appends to X-Forwarded-For after the client Cloudflare saw.</summary>
    public const string CloudflareEdge = "104.22.17.40";

    private readonly string directory;
    private readonly List<UnixSocketRelay> relays;

    private RenderProxyHop(string directory, List<UnixSocketRelay> relays, HostProcess api)
    {
        this.directory = directory;
        this.relays = relays;
        Api = api;
    }

    public HostProcess Api { get; }

    /// <summary>X-Forwarded-For as it reaches the service for a client at <paramref name="client"/>.</summary>
    public static string ForwardedFor(string client) => $"{client}, {CloudflareEdge}";

    /// <summary>
    /// Starts <c>dotnet MicAi.Host.dll api</c> with <paramref name="environment"/> (its PORT too) behind the hop,
    /// reaching the servers on <paramref name="serverPorts"/>, and waits for /health through the proxy.
    /// </summary>
    public static async Task<RenderProxyHop> StartAsync(IReadOnlyDictionary<string, string?> environment, IEnumerable<int> serverPorts)
    {
        // Short: a Unix socket path has at most 107 bytes.
        var directory = Directory.CreateTempSubdirectory("rh-").FullName;
        var ports = serverPorts.Distinct().ToList();
        var relays = ports.Select(p => new UnixSocketRelay(Path.Combine(directory, $"{p}.sock"), p)).ToList();
        var env = new Dictionary<string, string?>(environment);
        var port = env.TryGetValue("PORT", out var p) && p is not null ? p : (env["PORT"] = HostProcess.FreePort().ToString());
        var api = HostProcess.StartCommand(
            ["unshare", "--net", "--", "bash", RepoPaths.Of("bin/lib/render-proxy-hop"), directory, ProxyAddress, port, string.Join(' ', ports),
             "--", "dotnet", "MicAi.Host.dll", "api"], env);
        var hop = new RenderProxyHop(directory, relays, api);
        try { await hop.WaitForHealthAsync(TimeSpan.FromSeconds(60)); }
        catch
        {
            await hop.DisposeAsync();
            throw;
        }
        return hop;
    }

    /// <summary>A client whose every connection goes through Render's proxy to the api.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler { ConnectCallback = ConnectAsync })
    {
        BaseAddress = new Uri("http://micai-api.onrender.com/"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(directory, "ingress.sock")), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task WaitForHealthAsync(TimeSpan timeout)
    {
        using var http = CreateClient();
        http.Timeout = TimeSpan.FromSeconds(2);
        await Api.WaitForHealthAsync(timeout, http);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        foreach (var relay in relays) relay.Dispose();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
