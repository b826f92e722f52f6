using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Telemetry.TelemetrySettings.Keys))]

namespace MicAi.Core.Telemetry;

public enum LogFormat { Json, Console }

/// <summary>
/// Where traces, metrics and logs go. OpenTelemetry reads its own standard <c>OTEL_*</c> variables (protocol, headers,
/// sampler, export intervals); MicAi declares the endpoint only because its presence decides whether anything is
/// exported at all, and the Application Insights connection string because it is a secret (so it may come from a file).
/// </summary>
public sealed record TelemetrySettings(Uri? OtlpEndpoint, string? ApplicationInsightsConnectionString, bool LogPersonalData, LogFormat LogFormat)
{
    public bool ExportsOtlp => OtlpEndpoint is not null;

    public static class Keys
    {
        [Setting(null, "OTLP collector for traces and metrics (with the other standard `OTEL_*` variables, e.g. `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_EXPORTER_OTLP_HEADERS`); unset: nothing is exported over OTLP ([docs/observability.md](docs/observability.md))")]
        public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

        [Setting(null, "Functions: traces and metrics to Application Insights (infra/ sets it); unset: none", Secret = true, Scope = SettingScope.FunctionsOnly)]
        public const string ApplicationInsights = "APPLICATIONINSIGHTS_CONNECTION_STRING";

        [Setting("false", "log phone numbers and message text (debugging only); off, they are redacted to their last 4 characters and a length")]
        public const string LogPersonalData = "MICAI_LOG_PERSONAL_DATA";

        [Setting("json", "`json`: one JSON object a line with trace and span ids (production); `console`: one readable line per event (`bin/dev` sets it)",
            Scope = SettingScope.HostOnly)]
        public const string LogFormat = "MICAI_LOG_FORMAT";
    }

    internal static TelemetrySettings Read(SettingsReader r) => new(
        OtlpEndpoint: Endpoint(r),
        ApplicationInsightsConnectionString: r.Secret(Keys.ApplicationInsights),
        LogPersonalData: r.Bool(Keys.LogPersonalData),
        LogFormat: r.Enum<LogFormat>(Keys.LogFormat));

    private static Uri? Endpoint(SettingsReader r) =>
        r.OptionalString(Keys.OtlpEndpoint) is not { } raw ? null
        : Uri.TryCreate(raw, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
        : r.Problem<Uri?>($"{Keys.OtlpEndpoint} must be an absolute http(s) URL, got '{raw}'", null);

    /// <summary>The log format, read on its own: the Host sets up logging before the other settings are loaded.</summary>
    public static LogFormat ReadLogFormat(Func<string, string?> variable) =>
        new SettingsReader(variable, SecretSource.Default).Enum<LogFormat>(Keys.LogFormat);

    /// <summary>Never print the connection string.</summary>
    public override string ToString() => $"TelemetrySettings {{ OtlpEndpoint = {OtlpEndpoint}, LogPersonalData = {LogPersonalData}, LogFormat = {LogFormat} }}";
}
