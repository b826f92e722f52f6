using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Http;

public static class HttpServices
{
    /// <summary>The handlers both adapters route to: /health, /ready and Meta's webhook.</summary>
    public static IServiceCollection AddHttpEndpoints(this IServiceCollection services) =>
        services.AddSingleton<WebhookEndpoints>().AddSingleton<HealthEndpoints>();
}
