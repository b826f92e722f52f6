using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MicAi.Core.Telemetry;

public static class TelemetryServices
{
    /// <summary>The meters MicAi exports: its own, ASP.NET Core's (http.server.*) and HttpClient's (http.client.*).</summary>
    public static readonly string[] Meters = [MicAiDiagnostics.Name, "Microsoft.AspNetCore.Hosting", "System.Net.Http"];

    /// <summary>
    /// OpenTelemetry for this process. Nothing is set up unless something will read it: metrics when the process serves
    /// <c>GET /metrics</c> (Prometheus), traces and metrics when OTLP is configured or the adapter adds an exporter.
    /// Without any, no listener exists, so no span is ever created and a measurement is a no-op: the hot paths pay nothing.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, TelemetrySettings settings, TelemetryRole role)
    {
        services.AddSingleton(settings).AddSingleton(role).AddSingleton<PersonalData>();
        var exports = settings.ExportsOtlp || role.AddExporters is not null;
        if (exports || role.ServesMetrics) AddOpenTelemetry(services, settings, role, exports);
        return services;
    }

    /// <summary>
    /// Apart from <see cref="AddTelemetry"/> and never inlined into it: compiling a method loads the assemblies of what
    /// it calls, so a process that exports nothing (a scheduler, a worker without OTLP) never loads OpenTelemetry's.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddOpenTelemetry(IServiceCollection services, TelemetrySettings settings, TelemetryRole role, bool exports)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(role.ServiceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                if (role.ServesMetrics) metrics.AddPrometheusExporter();
            });
        if (exports) otel.WithTracing(AddTraceSources);
        if (settings.ExportsOtlp) otel.UseOtlpExporter();
        role.AddExporters?.Invoke(otel);
    }

    /// <summary>MicAi's spans and its clients' (Npgsql, Redis, HttpClient, ASP.NET Core), background noise left out.</summary>
    public static void AddTraceSources(TracerProviderBuilder tracing) => tracing
        .ConfigureSampler((_, chosen) => new OrphanClientSpanSampler(chosen))
        .AddSource(MicAiDiagnostics.Name, RedisSpans.Name)
        .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
        .AddHttpClientInstrumentation()
        .AddNpgsql();

    /// <summary>Health checks and scrapes come every few seconds and say nothing about messages.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/ready") || path.StartsWithSegments("/metrics");
}
