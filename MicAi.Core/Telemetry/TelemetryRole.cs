namespace MicAi.Core.Telemetry;

/// <summary>
/// What the adapter tells telemetry about this process: its <c>service.name</c> (<c>micai-api</c>, <c>micai-worker</c>,
/// <c>micai-scheduler</c>, <c>micai-all</c>, <c>micai-functions</c>) and whether it serves the Prometheus scrape
/// (<c>GET /metrics</c>, only where HTTP is served by the Host).
/// </summary>
public sealed record TelemetryRole(string ServiceName, bool ServesMetrics)
{
    public static readonly TelemetryRole Default = new("micai", ServesMetrics: false);
}
