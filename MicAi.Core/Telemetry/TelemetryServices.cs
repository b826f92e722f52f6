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
        if (role.HasMeterProvider(settings)) AddOpenTelemetry(services, settings, role);
        return services;
    }

    /// <summary>
    /// Apart from <see cref="AddTelemetry"/> and never inlined into it: compiling a method loads the assemblies of what
    /// it calls, so a process that exports nothing (a scheduler, a worker without OTLP) never loads OpenTelemetry's.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddOpenTelemetry(IServiceCollection services, TelemetrySettings settings, TelemetryRole role)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(role.ServiceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                if (role.ServesMetrics) metrics.AddPrometheusExporter();
            });
        if (role.Exports(settings))
        {
            // ASP.NET Core 10 then sets the server span's standard attributes itself, and its instrumentation skips
            // the same work (the switch's default, true, leaves it to the instrumentation's DiagnosticListener).
            AppContext.SetSwitch(AspNetCoreNativeSpanData, false);
            otel.WithTracing(AddTraceSources);
        }
        if (settings.ExportsOtlp) UseOtlp(otel);
        role.AddExporters?.Invoke(otel);
    }

    /// <summary>
    /// Apart, for the same reason as <see cref="AddOpenTelemetry"/>: the api builds a meter provider for /metrics, and
    /// with this call inline it mapped the OTLP exporter's assembly without an OTLP endpoint set.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseOtlp(IOpenTelemetryBuilder otel) => otel.UseOtlpExporter();

    private const string AspNetCoreNativeSpanData = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    /// <summary>
    /// HttpClient's spans come from .NET's own source (since .NET 9 it sets the standard attributes and injects
    /// <c>traceparent</c> itself); OpenTelemetry's HttpClient instrumentation would only add a DiagnosticListener,
    /// whose events cost every call reflection-based property reads.
    /// </summary>
    public const string HttpClientSource = "System.Net.Http";

    /// <summary>MicAi's spans and its clients' (Npgsql, Redis, HttpClient, ASP.NET Core), background noise left out.</summary>
    public static void AddTraceSources(TracerProviderBuilder tracing) => tracing
        .ConfigureSampler((_, chosen) => new OrphanClientSpanSampler(chosen))
        .AddSource(MicAiDiagnostics.Name, RedisSpans.Name, HttpClientSource)
        .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
        .AddNpgsql();

    /// <summary>Health checks and scrapes come every few seconds and say nothing about messages.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/ready") || path.StartsWithSegments("/metrics");
}
