using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Http;

public static class HttpServices
{
    /// <summary>The probes both adapters route to: /health and /ready.</summary>
    public static IServiceCollection AddHttpEndpoints(this IServiceCollection services) => services.AddSingleton<HealthEndpoints>();
}
