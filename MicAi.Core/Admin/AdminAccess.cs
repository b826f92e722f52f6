using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Admin;

/// <summary>
/// Who may try the admin key: the optional MICAI_ADMIN_ALLOWED_CIDRS allowlist, checked against the client address
/// (<see cref="ClientAddressResolver"/>: the peer, or what MICAI_TRUSTED_PROXIES or the platform's proxy says), and a
/// per-address limit on failed authentications (MICAI_ADMIN_AUTH_FAILURES_PER_MINUTE, fixed one-minute windows). Past
/// the limit every request from that address is refused with 429 until the window ends, so the key cannot be guessed,
/// while other clients behind the same proxy keep their own count.
/// It lives in Core, not in ASP.NET Core middleware, so the Host and the Functions catch-all apply the same rules.
/// </summary>
public sealed class AdminAccess : IDisposable
{
    private readonly AdminSettings settings;
    private readonly PartitionedRateLimiter<string> failures;

    public AdminAccess(AdminSettings settings)
    {
        this.settings = settings;
        failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.AuthFailuresPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public static readonly TimeSpan LockoutWindow = TimeSpan.FromMinutes(1);

    public IPAddress? ClientAddress(HttpContext context) =>
        ClientAddressResolver.Resolve(context, settings.ClientAddressSource, settings.TrustedProxies);

    /// <summary>
    /// Whether the browser reached us over HTTPS: the connection itself, or, behind a proxy we already believe for the
    /// client address (Render, App Service, MICAI_TRUSTED_PROXIES), its X-Forwarded-Proto. A client that forges
    /// "https" there only makes its own cookie stricter.
    /// </summary>
    public bool IsHttps(HttpContext context) =>
        context.Request.IsHttps || settings.ClientAddressSource != ClientAddressSource.Peer
        && context.Request.Headers["X-Forwarded-Proto"].ToString().Split(',', StringSplitOptions.TrimEntries).Contains("https", StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(IPAddress? client) =>
        settings.AllowedNetworks.Count == 0 || client is not null && settings.AllowedNetworks.Any(n => n.Contains(client));

    public bool IsLockedOut(IPAddress? client) => failures.GetStatistics(Key(client))?.CurrentAvailablePermits <= 0;

    /// <returns>false when this failure is over the limit.</returns>
    public bool RecordFailure(IPAddress? client)
    {
        using var lease = failures.AttemptAcquire(Key(client));
        return lease.IsAcquired;
    }

    public void Dispose() => failures.Dispose();

    private static string Key(IPAddress? client) => client?.ToString() ?? "unknown";
}
