namespace MicAi.Core.Telemetry;

/// <summary>
/// What the adapter tells telemetry about this process: its <c>service.name</c> (<c>micai-api</c>, <c>micai-worker</c>,
/// <c>micai-scheduler</c>, <c>micai-all</c>, <c>micai-functions</c>), whether it serves the Prometheus scrape
/// (<c>GET /metrics</c>, only where HTTP is served by the Host), and the adapter's own exporters if it has any to add
/// (Functions: the worker's OpenTelemetry defaults and Azure Monitor); null when it has none to add.
/// </summary>
public sealed record TelemetryRole(string ServiceName, bool ServesMetrics, Action<OpenTelemetry.IOpenTelemetryBuilder>? AddExporters = null)
{
    public static readonly TelemetryRole Default = new("micai", ServesMetrics: false);
}
