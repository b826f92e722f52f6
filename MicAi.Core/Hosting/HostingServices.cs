using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Hosting;

public static class HostingServices
{
    /// <summary>Start-up readiness and the process's own settings (port, migrations at start, shutdown grace).</summary>
    public static IServiceCollection AddHosting(this IServiceCollection services, HostingSettings settings) =>
        services.AddSingleton(settings).AddSingleton<StartupReadiness>();
}
