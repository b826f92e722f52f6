namespace MicAi.Core.Telemetry;

/// <summary>
/// What the adapter tells telemetry about this process: its <c>service.name</c> (<c>micai-api</c>, <c>micai-worker</c>,
/// <c>micai-scheduler</c>, <c>micai-all</c>, <c>micai-functions</c>), whether it serves the Prometheus scrape
/// (<c>GET /metrics</c>, only where HTTP is served by the Host), and the adapter's own exporters if it has any to add
/// (Functions: the worker's OpenTelemetry defaults and Azure Monitor); null when it has none to add.
/// </summary>
public sealed record TelemetryRole(string ServiceName, bool ServesMetrics, TelemetryExporters? AddExporters = null)
{
    public static readonly TelemetryRole Default = new("micai", ServesMetrics: false);

    /// <summary>Whether this process has a meter provider: it serves <c>GET /metrics</c>, exports OTLP or the adapter's own.</summary>
    public bool HasMeterProvider(TelemetrySettings settings) => ServesMetrics || Exports(settings);

    /// <summary>Whether this process exports traces and metrics (OTLP, or the adapter's exporters).</summary>
    public bool Exports(TelemetrySettings settings) => settings.ExportsOtlp || AddExporters is not null;
}

/// <summary>
/// The adapter's exporters, added to this process's OpenTelemetry set-up. A delegate type of Core's own rather than an
/// <c>Action</c> of OpenTelemetry's builder: the role is built in every process, and naming OpenTelemetry's type in its
/// fields loaded OpenTelemetry's assemblies into a worker or scheduler that never exports.
/// </summary>
public delegate void TelemetryExporters(OpenTelemetry.IOpenTelemetryBuilder otel);
