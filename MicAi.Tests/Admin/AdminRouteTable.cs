using MicAi.Core;
using MicAi.Core.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Tests.Admin;

/// <summary>One admin operation as the Host maps it: method, route pattern, endpoint name.</summary>
public sealed record AdminRoute(string Method, string Pattern, string Name);

/// <summary>
/// The admin API's operations, read from the endpoints <see cref="MicAiEndpoints.MapAdminApi"/> builds at the Host's
/// mount. Built over a bare service provider: every handler names its services ([FromServices]), so nothing else is
/// needed to build the endpoints, and no database.
/// </summary>
public static class AdminRouteTable
{
    public const string Base = AdminApi.HostMount;

    public static IReadOnlyList<AdminRoute> All { get; } = Build();

    /// <summary>A pattern relative to <see cref="Base"/> (<c>/admin/stats</c> → <c>/stats</c>), as the OpenAPI document lists it.</summary>
    public static string Relative(string pattern) => pattern[Base.Length..];

    private static AdminRoute[] Build()
    {
        var services = new ServiceCollection().AddLogging().AddRouting().BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        app.UseRouting();
        app.UseEndpoints(endpoints => endpoints.MapAdminApi(Base));
        return services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetRequiredMetadata<HttpMethodMetadata>().HttpMethods.Select(method =>
                new AdminRoute(method, "/" + e.RoutePattern.RawText!.Trim('/'), e.Metadata.GetRequiredMetadata<IEndpointNameMetadata>().EndpointName)))
            .ToArray();
    }
}
