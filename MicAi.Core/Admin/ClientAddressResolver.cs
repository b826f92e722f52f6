using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MicAi.Core.Admin;

/// <summary>
/// The address of the client behind the request, believing only what a proxy in front of MicAi wrote and a client
/// cannot: every proxy appends to X-Forwarded-For (a client controls only the entries on the left) or overwrites its
/// own header. Nothing here is read from a header unless the configured or detected source says who wrote it.
/// </summary>
public static class ClientAddressResolver
{
    public const string ForwardedFor = "X-Forwarded-For";

    /// <summary>Set by App Service's front end to the caller's <c>ip:port</c>, replacing any value a client sent.</summary>
    public const string AzureClientIp = "Client-IP";

    public static IPAddress? Resolve(HttpContext context, ClientAddressSource source, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress);
        if (peer is null) return null;
        var headers = context.Request.Headers;
        return source switch
        {
            ClientAddressSource.TrustedProxies => ThroughTrustedProxies(peer, Hops(headers), trustedProxies),
            ClientAddressSource.Render => BehindRender(peer, Hops(headers)),
            ClientAddressSource.AzureAppService => headers[AzureClientIp] is { Count: 1 } value && ParseHop(value) is { } client ? client : peer,
            _ => peer,
        };
    }

    /// <summary>The nearest untrusted hop: walk from the right while the hop is one of the operator's proxies.</summary>
    private static IPAddress ThroughTrustedProxies(IPAddress peer, string[] hops, IReadOnlyList<IPNetwork> trusted)
    {
        if (!PlatformNetworks.Contains(trusted, peer)) return peer;
        var client = peer;
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (ParseHop(hops[i]) is not { } hop) break; // unparseable: trust stops at the last good hop
            client = hop;
            if (!PlatformNetworks.Contains(trusted, client)) break;
        }
        return client;
    }

    /// <summary>
    /// Render: client → Cloudflare (appends the address that connected to it) → Render's proxy (appends its peer, the
    /// Cloudflare edge) → MicAi. So the last hop is Render's, and when it is a Cloudflare edge the hop before it is
    /// Cloudflare's: exactly those, never further left, where a client writes what it likes. Without a Cloudflare edge
    /// last, Render's proxy saw the client itself.
    /// </summary>
    private static IPAddress BehindRender(IPAddress peer, string[] hops)
    {
        if (!PlatformNetworks.Contains(PlatformNetworks.RenderProxy, peer) || hops.Length == 0) return peer;
        if (ParseHop(hops[^1]) is not { } edge) return peer;
        if (!PlatformNetworks.Contains(PlatformNetworks.Cloudflare, edge)) return edge;
        return hops.Length >= 2 && ParseHop(hops[^2]) is { } client ? client : edge;
    }

    private static string[] Hops(IHeaderDictionary headers) =>
        headers[ForwardedFor].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An address with or without a port (<c>1.2.3.4</c>, <c>1.2.3.4:5678</c>, <c>[2001:db8::1]:443</c>).</summary>
    private static IPAddress? ParseHop(StringValues value) =>
        IPEndPoint.TryParse(value.ToString().Trim(), out var endPoint) ? Normalize(endPoint.Address) : null;

    private static IPAddress? Normalize(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
