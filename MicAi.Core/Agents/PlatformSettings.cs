using System.Net;
using MicAi.Core.Configuration;

namespace MicAi.Core.Agents;

/// <summary>
/// Settings of the agent platform (admin access, opt-out, tools, LLM), read once at start-up like
/// <see cref="MicAiSettings"/>. Everything that costs money is off unless configured: the LLM answers only for agents
/// with llm_enabled, and the weather tool needs no key.
/// </summary>
public sealed record PlatformSettings(
    IReadOnlyList<IPNetwork> AdminAllowedNetworks,
    IReadOnlyList<IPNetwork> TrustedProxies,
    ClientAddressSource ClientAddressSource,
    int AdminAuthFailuresPerMinute,
    IReadOnlyList<string> OptOutKeywords,
    IReadOnlyList<string> OptInKeywords,
    string DefaultTimeZone,
    Uri WeatherBaseUrl,
    Uri WeatherGeocodingUrl,
    TimeSpan WeatherTimeout,
    TimeSpan WeatherCacheFor,
    Uri LlmBaseUrl,
    string? LlmApiKey,
    string LlmModel,
    TimeSpan LlmTimeout,
    int LlmDailyLimitPerContact,
    int LlmHistoryTurns)
{
    public static PlatformSettings Load(Func<string, string?> variable, SecretSource secrets, AppEnvironment environment)
    {
        var r = new SettingsReader(variable, secrets);
        var weatherBase = variable(Keys.WeatherBaseUrl);
        var trustedProxies = Networks(r, Keys.TrustedProxies, variable(Keys.TrustedProxies));
        var settings = new PlatformSettings(
            AdminAllowedNetworks: Networks(r, Keys.AdminAllowedCidrs, variable(Keys.AdminAllowedCidrs)),
            TrustedProxies: trustedProxies,
            ClientAddressSource: ClientAddressSources.Detect(variable, trustedProxies.Count > 0),
            AdminAuthFailuresPerMinute: r.Int(Keys.AdminAuthFailuresPerMinute, 10, min: 1),
            OptOutKeywords: r.List(Keys.OptOutKeywords, "STOP,UNSUBSCRIBE"),
            OptInKeywords: r.List(Keys.OptInKeywords, "START"),
            DefaultTimeZone: TimeZone(r, variable(Keys.DefaultTimeZone)),
            WeatherBaseUrl: r.AbsoluteUri(Keys.WeatherBaseUrl, "https://api.open-meteo.com/"),
            // Open-Meteo serves geocoding from its own host; a self-hosted or stand-in API serves both from one base.
            WeatherGeocodingUrl: r.AbsoluteUri(Keys.WeatherGeocodingUrl,
                string.IsNullOrWhiteSpace(weatherBase) ? "https://geocoding-api.open-meteo.com/" : weatherBase),
            WeatherTimeout: TimeSpan.FromSeconds(r.Int(Keys.WeatherTimeoutSeconds, 5, min: 1)),
            WeatherCacheFor: TimeSpan.FromMinutes(r.Int(Keys.WeatherCacheMinutes, 10, min: 0)),
            LlmBaseUrl: r.AbsoluteUri(Keys.LlmBaseUrl, "https://api.openai.com/v1/"),
            LlmApiKey: r.Secret(Keys.LlmApiKey, prod: false, required: false),
            LlmModel: r.String(Keys.LlmModel, "gpt-4o-mini"),
            LlmTimeout: TimeSpan.FromSeconds(r.Int(Keys.LlmTimeoutSeconds, 20, min: 1)),
            LlmDailyLimitPerContact: r.Int(Keys.LlmDailyLimitPerContact, 20, min: 0),
            LlmHistoryTurns: r.Int(Keys.LlmHistoryTurns, 6, min: 0));
        r.ThrowIfProblems(environment);
        return settings;

        static string TimeZone(SettingsReader r, string? raw)
        {
            var id = string.IsNullOrWhiteSpace(raw) ? "UTC" : raw.Trim();
            return TimeZoneInfo.TryFindSystemTimeZoneById(id, out _) ? id : r.Problem<string>($"{Keys.DefaultTimeZone} is not a known time zone: '{id}'", "UTC");
        }
    }

    /// <summary>Never print the LLM key.</summary>
    public override string ToString() => $"PlatformSettings {{ LlmModel = {LlmModel}, LlmBaseUrl = {LlmBaseUrl} }}";

    /// <summary>Addresses or CIDR ranges; unset or blank = none (these lists may be empty, unlike r.List).</summary>
    private static IReadOnlyList<IPNetwork> Networks(SettingsReader r, string key, string? raw)
    {
        var networks = new List<IPNetwork>();
        foreach (var item in (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(item, out var network)) networks.Add(network);
            else if (IPAddress.TryParse(item, out var address)) networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            else r.Problem<object?>($"{key}: '{item}' is neither an IP address nor a CIDR range", null);
        }
        return networks;
    }

    public static class Keys
    {
        public const string AdminAllowedCidrs = "MICAI_ADMIN_ALLOWED_CIDRS";
        public const string TrustedProxies = "MICAI_TRUSTED_PROXIES";
        public const string AdminAuthFailuresPerMinute = "MICAI_ADMIN_AUTH_FAILURES_PER_MINUTE";
        public const string OptOutKeywords = "MICAI_OPT_OUT_KEYWORDS";
        public const string OptInKeywords = "MICAI_OPT_IN_KEYWORDS";
        public const string DefaultTimeZone = "MICAI_DEFAULT_TIME_ZONE";
        public const string WeatherBaseUrl = "MICAI_WEATHER_BASE_URL";
        public const string WeatherGeocodingUrl = "MICAI_WEATHER_GEOCODING_URL";
        public const string WeatherTimeoutSeconds = "MICAI_WEATHER_TIMEOUT_SECONDS";
        public const string WeatherCacheMinutes = "MICAI_WEATHER_CACHE_MINUTES";
        public const string LlmBaseUrl = "MICAI_LLM_BASE_URL";
        public const string LlmApiKey = "MICAI_LLM_API_KEY";
        public const string LlmModel = "MICAI_LLM_MODEL";
        public const string LlmTimeoutSeconds = "MICAI_LLM_TIMEOUT_SECONDS";
        public const string LlmDailyLimitPerContact = "MICAI_LLM_DAILY_LIMIT_PER_CONTACT";
        public const string LlmHistoryTurns = "MICAI_LLM_HISTORY_TURNS";
    }
}
