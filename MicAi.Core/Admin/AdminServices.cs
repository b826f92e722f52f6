using MicAi.Core.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Admin;

public static class AdminServices
{
    /// <summary>
    /// The admin API: access control, the catch-all for adapters with one route (over <paramref name="map"/>, the list
    /// of admin resources), the OpenAPI document, and the JSON naming typed results write. Each resource's stores are
    /// registered by its own capability.
    /// </summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services, AdminSettings settings, AdminApiMap map)
    {
        services.AddSingleton(settings).AddSingleton<AdminAccess>().AddSingleton<AdminAccessFilter>();
        services.AddSingleton(map).AddSingleton<AdminCatchAll>().AddSingleton<AdminOpenApiDocument>();
        services.AddRouting();
        services.Configure<JsonOptions>(o => ApiJson.Apply(o.SerializerOptions));
        services.AddAdminOpenApi();
        return services;
    }
}
