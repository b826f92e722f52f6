using System.Net;
using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Admin.AdminSettings.Keys))]

namespace MicAi.Core.Admin;

/// <summary>Who may use the admin API: the key, the optional allowlist, and where the client's address comes from.</summary>
public sealed record AdminSettings(
    string ApiKey,
    IReadOnlyList<IPNetwork> AllowedNetworks,
    IReadOnlyList<IPNetwork> TrustedProxies,
    ClientAddressSource ClientAddressSource,
    int AuthFailuresPerMinute,
    TimeSpan ConsoleSessionLifetime)
{
    public static class Keys
    {
        [Setting("dev-admin-key", "required; `x-admin-key` or `Authorization: Bearer` on `/admin/*`", Secret = true, RequiredInProd = true)]
        public const string ApiKey = "MICAI_ADMIN_API_KEY";

        [Setting(null, "optional allowlist for `/admin/*` (comma-separated CIDRs), checked against the client address")]
        public const string AllowedCidrs = "MICAI_ADMIN_ALLOWED_CIDRS";

        [Setting(null, "your own proxies whose `X-Forwarded-For` is believed for the client address; when set it wins over the platform's proxy below")]
        public const string TrustedProxies = "MICAI_TRUSTED_PROXIES";

        [Setting(null, "with no `MICAI_TRUSTED_PROXIES`, `RENDER=true` (Render) makes the client address the hop Cloudflare added before Render's proxy ([docs/admin-api.md](docs/admin-api.md#security))",
            SetByPlatform = true)]
        public const string Render = "RENDER";

        [Setting(null, "with neither of the above, set (Azure App Service, Functions): the client address is the front end's `Client-IP`; otherwise it is the TCP peer",
            SetByPlatform = true)]
        public const string AzureSiteName = "WEBSITE_SITE_NAME";

        [Setting("10", "failed admin keys per client address per minute before 429")]
        public const string AuthFailuresPerMinute = "MICAI_ADMIN_AUTH_FAILURES_PER_MINUTE";

        [Setting("480", "minutes an operator console sign-in lasts (the session cookie's expiry; [docs/console.md](docs/console.md))")]
        public const string ConsoleSessionMinutes = "MICAI_CONSOLE_SESSION_MINUTES";
    }

    internal static AdminSettings Read(SettingsReader r)
    {
        var trustedProxies = Networks(r, Keys.TrustedProxies);
        return new(
            ApiKey: r.Secret(Keys.ApiKey) ?? "",
            AllowedNetworks: Networks(r, Keys.AllowedCidrs),
            TrustedProxies: trustedProxies,
            // An explicit MICAI_TRUSTED_PROXIES wins; then the platform MicAi runs on; else the peer.
            ClientAddressSource: trustedProxies.Count > 0 ? ClientAddressSource.TrustedProxies
                : string.Equals(r.OptionalString(Keys.Render), "true", StringComparison.OrdinalIgnoreCase) ? ClientAddressSource.Render
                : r.IsSet(Keys.AzureSiteName) ? ClientAddressSource.AzureAppService
                : ClientAddressSource.Peer,
            AuthFailuresPerMinute: r.Int(Keys.AuthFailuresPerMinute, min: 1),
            ConsoleSessionLifetime: TimeSpan.FromMinutes(r.Int(Keys.ConsoleSessionMinutes, min: 1, max: 7 * 24 * 60)));
    }

    /// <summary>Never print the admin key.</summary>
    public override string ToString() => $"AdminSettings {{ ClientAddressSource = {ClientAddressSource}, AllowedNetworks = {AllowedNetworks.Count} }}";

    /// <summary>Addresses or CIDR ranges; unset or blank = none (these lists may be empty, unlike r.List).</summary>
    private static IReadOnlyList<IPNetwork> Networks(SettingsReader r, string key)
    {
        var networks = new List<IPNetwork>();
        foreach (var item in (r.OptionalString(key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(item, out var network)) networks.Add(network);
            else if (IPAddress.TryParse(item, out var address)) networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            else r.Problem<object?>($"{key}: '{item}' is neither an IP address nor a CIDR range", null);
        }
        return networks;
    }
}
