using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Agents.Tools;

/// <summary>
/// "weather in Lisbon" → "Lisbon, Portugal: 18°C, partly cloudy, wind 12 km/h. Today 14–21°C." Answers are cached
/// per place (MICAI_WEATHER_CACHE_MINUTES); a slow or failing API yields a friendly message, never an exception.
/// </summary>
public sealed partial class WeatherTool(WeatherClient client, WeatherSettings settings, TimeProvider time, ILogger<WeatherTool> log) : IAgentTool
{
    public const string Unavailable = "Sorry, I can't get the weather right now. Please try again later.";
    public const string Help = "Ask me like this: \"weather in Lisbon\".";

    private readonly ConcurrentDictionary<string, (string Reply, DateTimeOffset Until)> cache = new();

    [GeneratedRegex(@"^(?:what(?:'s| is) the )?weather(?: forecast)?(?:\s+(?:like\s+)?(?<prep>in|for|at))?\s+(?<place>[^?!.]+?)\s*[?!.]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PlaceRegex();

    public string Name => ToolNames.Weather;

    // Detection needs "in/for/at" so "weather is nice today" is left to the LLM or fallback; a rule that names the
    // tool also accepts "weather Lisbon".
    public bool Detects(string text) => PlaceRegex().Match(text.Trim()) is { Success: true } m && m.Groups["prep"].Success;

    public async Task<string> RunAsync(InboundContext context, string text, CancellationToken ct)
    {
        if (PlaceRegex().Match(text.Trim()) is not { Success: true } m) return Help;
        var place = m.Groups["place"].Value.Trim();
        var key = TextNormalizer.Fold(place);
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var hit) && hit.Until > now) return hit.Reply;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        string reply;
        try
        {
            var found = await client.FindAsync(place, timeout.Token);
            reply = found is null
                ? $"I couldn't find a place called \"{place}\"."
                : Describe(found, await client.ForecastAsync(found, timeout.Token));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            ToolLog.WeatherFailed(log, ex.GetType().Name);
            return Unavailable;
        }
        if (settings.CacheFor > TimeSpan.Zero) cache[key] = (reply, now + settings.CacheFor);
        return reply;
    }

    public static string Describe(Place place, CurrentWeather w)
    {
        var name = place.Country is { Length: > 0 } c ? $"{place.Name}, {c}" : place.Name;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{name}: {Math.Round(w.Temperature):0}°C, {WeatherCodes.Describe(w.WeatherCode)}, wind {Math.Round(w.WindSpeed):0} km/h.");
        if (w.Min is { } min && w.Max is { } max) text += string.Create(CultureInfo.InvariantCulture, $" Today {Math.Round(min):0}–{Math.Round(max):0}°C.");
        return text;
    }
}

/// <summary>WMO weather interpretation codes as Open-Meteo documents them.</summary>
public static class WeatherCodes
{
    public static string Describe(int code) => code switch
    {
        0 => "clear sky",
        1 => "mainly clear",
        2 => "partly cloudy",
        3 => "overcast",
        45 or 48 => "fog",
        >= 51 and <= 57 => "drizzle",
        >= 61 and <= 67 => "rain",
        >= 71 and <= 77 => "snow",
        >= 80 and <= 82 => "rain showers",
        85 or 86 => "snow showers",
        >= 95 => "thunderstorm",
        _ => "mixed weather",
    };
}

internal static partial class ToolLog
{
    [LoggerMessage(8100, LogLevel.Warning, "Weather lookup failed ({Error}); answered with the friendly failure message")]
    public static partial void WeatherFailed(ILogger log, string error);
}
