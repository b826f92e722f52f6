using MicAi.Core.Queue;
using MicAi.Core.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Admin;

/// <summary>
/// <c>GET /metrics</c>: this process's metrics and the pipeline's gauges in the Prometheus text format (OpenTelemetry's
/// Prometheus exporter), behind the admin key like <c>/admin/*</c>: the same allowlist, failure limit and key, given as
/// <c>Authorization: Bearer</c> (Prometheus' <c>authorization</c> scrape setting) or <c>x-admin-key</c>. Outside the
/// admin group because it is not JSON and not in the OpenAPI document; mapped only where the process serves metrics.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<TelemetryRole>() is not { ServesMetrics: true }) return app;
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            var services = context.RequestServices;
            if (services.GetRequiredService<AdminAccessFilter>().Refuse(context, "Metrics") is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }
            await services.GetRequiredService<QueueGauges>().RefreshAsync(); // so collecting them waits on nothing
            await next(context);
        }), optionsName: null);
        return app;
    }
}
