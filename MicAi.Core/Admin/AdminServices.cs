using System.Runtime.CompilerServices;
using MicAi.Core.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Admin;

public static class AdminServices
{
    /// <summary>
    /// The admin API: access control, the OpenAPI document and, where HTTP is served, the JSON naming typed results
    /// write. Each resource's stores are registered by its own capability. Nothing here names a routing type, so the
    /// worker and scheduler roles load no routing code for it.
    /// </summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services, AdminSettings settings, bool servesHttp = true)
    {
        services.AddSingleton(settings);
        if (servesHttp) AddHttpParts(services);
        return services;
    }

    /// <summary>
    /// Never inlined into <see cref="AddAdmin"/>: compiling it loads ASP.NET Core's Http.Abstractions and
    /// Http.Extensions (the filter's interface, the JSON options; about 1 MB resident), which a worker or scheduler
    /// never needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddHttpParts(IServiceCollection services) =>
        services.AddSingleton<AdminAccess>().AddSingleton<AdminSession>().AddSingleton<AdminAccessFilter>().AddSingleton<AdminOpenApiDocument>()
            .Configure<JsonOptions>(o => ApiJson.Apply(o.SerializerOptions));

    /// <summary>For an adapter that serves the admin API behind one catch-all route (Functions): <see cref="AdminCatchAll"/> over <paramref name="map"/>.</summary>
    public static IServiceCollection AddAdminCatchAll(this IServiceCollection services, AdminApiMap map) =>
        services.AddSingleton(map).AddSingleton<AdminCatchAll>();
}
