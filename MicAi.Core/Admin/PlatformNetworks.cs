using System.Net;

namespace MicAi.Core.Admin;

/// <summary>Address ranges of the proxies in front of a Render web service.</summary>
public static class PlatformNetworks
{
    /// <summary>
    /// Cloudflare's published edge ranges (https://www.cloudflare.com/ips/). Render puts
    /// Cloudflare in front of every web service; its edge is the hop Render's own proxy appends to X-Forwarded-For.
    /// If Cloudflare adds a range, a client behind it is keyed by the edge address: coarser, never forgeable.
    /// </summary>
    public static readonly IReadOnlyList<IPNetwork> Cloudflare = Parse(
        "173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22", "141.101.64.0/18", "108.162.192.0/18",
        "190.93.240.0/20", "188.114.96.0/20", "197.234.240.0/22", "198.41.128.0/17", "162.158.0.0/15", "104.16.0.0/13",
        "104.24.0.0/14", "172.64.0.0/13", "131.0.72.0/22",
        "2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32", "2405:8100::/32", "2a06:98c0::/29",
        "2c0f:f248::/32");

    /// <summary>
    /// Private ranges: Render's proxy reaches a service over Render's private network (observed as 10.x). A public
    /// peer did not come through it, so its X-Forwarded-For is not Render's and is ignored.
    /// </summary>
    public static readonly IReadOnlyList<IPNetwork> RenderProxy = Parse(
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7");

    public static bool Contains(IReadOnlyList<IPNetwork> networks, IPAddress address) => networks.Any(n => n.Contains(address));

    private static IReadOnlyList<IPNetwork> Parse(params string[] cidrs) => cidrs.Select(c => IPNetwork.Parse(c)).ToArray();
}
