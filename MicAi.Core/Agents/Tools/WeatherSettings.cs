using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Agents.Tools.WeatherSettings.Keys))]

namespace MicAi.Core.Agents.Tools;

/// <summary>The weather tool's API (Open-Meteo needs no key) and how long an answer is reused.</summary>
public sealed record WeatherSettings(Uri BaseUrl, Uri GeocodingUrl, TimeSpan Timeout, TimeSpan CacheFor)
{
    public static class Keys
    {
        [Setting("https://api.open-meteo.com/", "weather tool's forecast API (no key)")]
        public const string BaseUrl = "MICAI_WEATHER_BASE_URL";

        [Setting("https://geocoding-api.open-meteo.com/", "its place-name lookup; defaults to `MICAI_WEATHER_BASE_URL` when that is set (a self-hosted or stand-in API serves both)")]
        public const string GeocodingUrl = "MICAI_WEATHER_GEOCODING_URL";

        [Setting("5", "weather call timeout (then the tool says it cannot answer)")]
        public const string TimeoutSeconds = "MICAI_WEATHER_TIMEOUT_SECONDS";

        [Setting("10", "minutes a weather answer is reused for the same place")]
        public const string CacheMinutes = "MICAI_WEATHER_CACHE_MINUTES";
    }

    internal static WeatherSettings Read(SettingsReader r) => new(
        BaseUrl: r.AbsoluteUri(Keys.BaseUrl),
        // Open-Meteo serves geocoding from its own host; a self-hosted or stand-in API serves both from one base.
        GeocodingUrl: r.AbsoluteUri(Keys.GeocodingUrl, fallback: r.IsSet(Keys.BaseUrl) ? r.String(Keys.BaseUrl) : null),
        Timeout: r.Seconds(Keys.TimeoutSeconds, min: 1),
        CacheFor: TimeSpan.FromMinutes(r.Int(Keys.CacheMinutes, min: 0)));
}
