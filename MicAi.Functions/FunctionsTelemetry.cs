using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using MicAi.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace MicAi.Functions;

/// <summary>
/// The Functions app's telemetry: Core's spans and metrics as <c>micai-functions</c>, with the isolated worker's
/// OpenTelemetry defaults (Azure Functions resource detection, no duplicate invocation telemetry) and Application
/// Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set. infra/ turns local authentication off on the
/// Application Insights resource, so the exporter signs in with the app's managed identity, whose client id
/// APPLICATIONINSIGHTS_AUTHENTICATION_STRING names (<c>ClientId=…;Authorization=AAD</c>, as the Functions host reads it).
/// </summary>
internal static class FunctionsTelemetry
{
    public const string ServiceName = "micai-functions";
    public const string AuthenticationString = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static TelemetryRole Role(TelemetrySettings settings, IConfiguration configuration)
    {
        var connection = settings.ApplicationInsightsConnectionString;
        if (connection is null && !settings.ExportsOtlp) return new TelemetryRole(ServiceName, ServesMetrics: false);
        var clientId = ClientId(configuration[AuthenticationString]);
        return new TelemetryRole(ServiceName, ServesMetrics: false, AddExporters: otel =>
        {
            // The worker's resource detector names the service after the app; ours comes after it, so it wins.
            otel.UseFunctionsWorkerDefaults().ConfigureResource(r => r.AddService(ServiceName));
            if (connection is not null)
                otel.UseAzureMonitorExporter(o =>
                {
                    o.ConnectionString = connection;
                    if (clientId is not null) o.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                });
        });
    }

    /// <summary>The client id of <c>ClientId=…;Authorization=AAD</c>, or null (then the connection string's key is used).</summary>
    internal static string? ClientId(string? authentication) =>
        (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1]).FirstOrDefault();
}
