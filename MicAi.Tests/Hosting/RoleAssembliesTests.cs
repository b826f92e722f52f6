using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Hosting;

/// <summary>
/// Idle memory: a role maps only the assemblies it uses. Start-up once scanned every type of Core (the settings
/// catalog) and compiled OpenTelemetry's set-up into every process, loading the OpenAPI generator, Azure Storage,
/// Microsoft.Extensions.AI and OpenTelemetry's SDK and exporters into roles that never touch them (megabytes in all);
/// the admin API's JSON naming and filters loaded ASP.NET Core's Http.Abstractions and Http.Extensions, and the role
/// host's own Kestrel lines (compiled with the method that skipped them) loaded Kestrel, ASP.NET Core's hosting and
/// routing into roles that serve no HTTP; the queue gauges' registration with any meter provider, and the role's
/// exporter hook typed with OpenTelemetry's builder, loaded OpenTelemetry's API into every role.
/// </summary>
public sealed class RoleAssembliesTests
{
    private static readonly string[] NeverInAPlainRole =
    [
        "Microsoft.AspNetCore.OpenApi.dll", "Microsoft.OpenApi.dll", "Azure.Core.dll", "Azure.Storage.Blobs.dll",
        "Microsoft.Extensions.AI.dll", "Microsoft.Extensions.AI.Abstractions.dll", "OpenTelemetry.dll", "OpenTelemetry.Api.dll",
        "OpenTelemetry.Api.ProviderBuilderExtensions.dll",
        "OpenTelemetry.Exporter.OpenTelemetryProtocol.dll", "OpenTelemetry.Extensions.Hosting.dll",
        "Microsoft.AspNetCore.dll", "Microsoft.AspNetCore.Server.Kestrel.dll", "Microsoft.AspNetCore.Server.Kestrel.Core.dll",
        "Microsoft.AspNetCore.Hosting.dll", "Microsoft.AspNetCore.Routing.dll", "Microsoft.AspNetCore.Http.Abstractions.dll",
        "Microsoft.AspNetCore.Http.Extensions.dll",
    ];

    [Theory]
    [InlineData("scheduler")]
    [InlineData("worker")]
    public async Task PlainRole_WithNothingToExport_MapsNoKestrelRoutingOpenApiAzureStorageAiOrOpenTelemetryAssembly(string role)
    {
        var env = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/");
        await using var process = HostProcess.Start([role], env);
        await process.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));

        var mapped = Mapped(process.Pid);

        Assert.Contains("MicAi.Core.dll", mapped); // the reading works: Core itself is there
        Assert.Equal([], NeverInAPlainRole.Intersect(mapped));
    }

    /// <summary>
    /// The api builds a meter provider for GET /metrics; with the OTLP call compiled into the same method it also
    /// mapped the OTLP exporter (~0.4 MB) with no endpoint set.
    /// </summary>
    [Fact]
    public async Task Api_WithoutAnOtlpEndpoint_MapsOpenTelemetryForMetrics_ButNotTheOtlpExporter()
    {
        // HostProcess drops the caller's OTEL_* variables: no OTLP endpoint.
        await using var process = await HostProcess.StartApiAsync(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"));

        var mapped = Mapped(process.Pid);

        Assert.Contains("OpenTelemetry.Exporter.Prometheus.AspNetCore.dll", mapped);
        Assert.DoesNotContain("OpenTelemetry.Exporter.OpenTelemetryProtocol.dll", mapped);
    }

    private static HashSet<string> Mapped(int pid) =>
        File.ReadAllLines($"/proc/{pid}/maps").Select(l => Path.GetFileName(l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last()))
            .Where(f => f.EndsWith(".dll", StringComparison.Ordinal)).ToHashSet();
}
