using System.Net;
using System.Threading.RateLimiting;
using MicAi.Core.Agents;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Admin;

/// <summary>
/// Who may try the admin key: the optional MICAI_ADMIN_ALLOWED_CIDRS allowlist, checked against the client address
/// (X-Forwarded-For is believed only when the peer is one of MICAI_TRUSTED_PROXIES), and a per-address limit on
/// failed authentications (MICAI_ADMIN_AUTH_FAILURES_PER_MINUTE, fixed one-minute windows). Past the limit every
/// request from that address is refused with 429 until the window ends, so the key cannot be guessed.
/// It lives in Core, not in ASP.NET Core middleware, so the Host and the Functions catch-all apply the same rules.
/// </summary>
public sealed class AdminAccess : IDisposable
{
    private readonly PlatformSettings settings;
    private readonly PartitionedRateLimiter<string> failures;

    public AdminAccess(PlatformSettings settings)
    {
        this.settings = settings;
        failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.AdminAuthFailuresPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public static readonly TimeSpan LockoutWindow = TimeSpan.FromMinutes(1);

    /// <summary>The peer, or the nearest untrusted hop of X-Forwarded-For when the peer is a trusted proxy.</summary>
    public IPAddress? ClientAddress(HttpContext context)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress);
        if (peer is null || !IsTrustedProxy(peer)) return peer;
        var hops = context.Request.Headers["X-Forwarded-For"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var client = peer;
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop)) break; // unparseable: trust stops at the last good hop
            client = Normalize(hop)!;
            if (!IsTrustedProxy(client)) break;
        }
        return client;
    }

    public bool IsAllowed(IPAddress? client) =>
        settings.AdminAllowedNetworks.Count == 0 || client is not null && settings.AdminAllowedNetworks.Any(n => n.Contains(client));

    public bool IsLockedOut(IPAddress? client) => failures.GetStatistics(Key(client))?.CurrentAvailablePermits <= 0;

    /// <returns>false when this failure is over the limit.</returns>
    public bool RecordFailure(IPAddress? client)
    {
        using var lease = failures.AttemptAcquire(Key(client));
        return lease.IsAcquired;
    }

    public void Dispose() => failures.Dispose();

    private bool IsTrustedProxy(IPAddress address) => settings.TrustedProxies.Any(n => n.Contains(address));

    private static string Key(IPAddress? client) => client?.ToString() ?? "unknown";

    private static IPAddress? Normalize(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
