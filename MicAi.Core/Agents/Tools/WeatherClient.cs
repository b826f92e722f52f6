using System.Globalization;
using System.Text.Json;

namespace MicAi.Core.Agents.Tools;

public sealed record Place(string Name, string? Country, double Latitude, double Longitude);

public sealed record CurrentWeather(double Temperature, int WeatherCode, double WindSpeed, double? Min, double? Max);

/// <summary>
/// An Open-Meteo-compatible API (no key): GET v1/search on the geocoding base, GET v1/forecast on the weather base.
/// Throws on transport errors, timeouts and non-success answers; the tool turns those into a friendly message.
/// </summary>
public sealed class WeatherClient(HttpClient http, WeatherSettings settings)
{
    public const string HttpClientName = "weather";

    public async Task<Place?> FindAsync(string name, CancellationToken ct)
    {
        var uri = new Uri(settings.GeocodingUrl, $"v1/search?name={Uri.EscapeDataString(name)}&count=1&language=en&format=json");
        using var doc = await GetJsonAsync(uri, ct);
        if (!doc.RootElement.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array || results.GetArrayLength() == 0)
            return null;
        var first = results[0];
        return new Place(first.GetProperty("name").GetString() ?? name,
            first.TryGetProperty("country", out var country) ? country.GetString() : null,
            first.GetProperty("latitude").GetDouble(), first.GetProperty("longitude").GetDouble());
    }

    public async Task<CurrentWeather> ForecastAsync(Place place, CancellationToken ct)
    {
        var query = string.Create(CultureInfo.InvariantCulture,
            $"v1/forecast?latitude={place.Latitude}&longitude={place.Longitude}&current=temperature_2m,weather_code,wind_speed_10m&daily=temperature_2m_max,temperature_2m_min&timezone=auto&forecast_days=1");
        using var doc = await GetJsonAsync(new Uri(settings.BaseUrl, query), ct);
        var current = doc.RootElement.GetProperty("current");
        double? First(string name) =>
            doc.RootElement.TryGetProperty("daily", out var daily) && daily.TryGetProperty(name, out var values) &&
            values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0 && values[0].ValueKind == JsonValueKind.Number
                ? values[0].GetDouble() : null;
        return new CurrentWeather(current.GetProperty("temperature_2m").GetDouble(), current.GetProperty("weather_code").GetInt32(),
            current.TryGetProperty("wind_speed_10m", out var wind) ? wind.GetDouble() : 0, First("temperature_2m_min"), First("temperature_2m_max"));
    }

    private async Task<JsonDocument> GetJsonAsync(Uri uri, CancellationToken ct)
    {
        using var response = await http.GetAsync(uri, ct);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        return await JsonDocument.ParseAsync(body, cancellationToken: ct);
    }
}
