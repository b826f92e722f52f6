using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Hosting;

/// <summary>
/// Idle memory: a role maps only the assemblies it uses. Start-up once scanned every type of Core (the settings
/// catalog) and compiled OpenTelemetry's set-up into every process, loading the OpenAPI generator, Azure Storage,
/// Microsoft.Extensions.AI and OpenTelemetry's SDK and exporters into roles that never touch them (megabytes in all), and
/// the admin API's JSON naming loaded ASP.NET Core's Http.Extensions into roles that serve no HTTP.
/// </summary>
public sealed class RoleAssembliesTests
{
    private static readonly string[] NeverInAPlainScheduler =
    [
        "Microsoft.AspNetCore.OpenApi.dll", "Microsoft.OpenApi.dll", "Azure.Core.dll", "Azure.Storage.Blobs.dll",
        "Microsoft.Extensions.AI.Abstractions.dll", "OpenTelemetry.dll", "OpenTelemetry.Exporter.OpenTelemetryProtocol.dll",
        "OpenTelemetry.Extensions.Hosting.dll", "Microsoft.AspNetCore.Http.Extensions.dll",
    ];

    [Fact]
    public async Task Scheduler_WithNothingToExport_MapsNoOpenApiAzureStorageAiOpenTelemetrySdkOrHttpExtensionsAssembly()
    {
        var env = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/");
        await using var scheduler = HostProcess.Start(["scheduler"], env);
        await scheduler.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));

        var mapped = File.ReadAllLines($"/proc/{scheduler.Pid}/maps").Select(l => Path.GetFileName(l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last()))
            .Where(f => f.EndsWith(".dll", StringComparison.Ordinal)).ToHashSet();

        Assert.Contains("MicAi.Core.dll", mapped); // the reading works: Core itself is there
        Assert.Equal([], NeverInAPlainScheduler.Intersect(mapped));
    }
}
