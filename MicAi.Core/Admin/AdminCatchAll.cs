using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Admin;

/// <summary>Maps the admin API at a mount: <c>MicAiEndpoints.MapAdminApi</c>, the one list of admin resources.</summary>
public delegate RouteGroupBuilder AdminApiMap(IEndpointRouteBuilder endpoints, string mount);

/// <summary>
/// The admin API behind one catch-all route (the Functions app: its host refuses routes that start with "admin"). The
/// same endpoints the Host maps — built once per mount from the same <see cref="AdminApiMap"/>, with ASP.NET Core
/// routing, over the app's own services — run the request, filters and all. A path that names no operation is refused
/// like any other admin request without the key, else answered 404 (no such path) or 405 (another method), as
/// problem details.
/// </summary>
public sealed class AdminCatchAll(IServiceProvider services, AdminAccessFilter access, AdminApiMap map)
{
    private readonly ConcurrentDictionary<string, Lazy<RequestDelegate>> pipelines = new(StringComparer.Ordinal);

    /// <summary>Runs the admin operation the request's method and path name under <paramref name="mount"/> (e.g. <c>/manage</c>).</summary>
    public Task InvokeAsync(HttpContext context, string mount)
    {
        var pipeline = pipelines.GetOrAdd(mount, m => new Lazy<RequestDelegate>(() => Build(m))).Value;
        // The adapter's own routing chose the catch-all; routing starts again here over the admin endpoints.
        context.SetEndpoint(null);
        context.Request.RouteValues = new RouteValueDictionary();
        return pipeline(context);
    }

    private RequestDelegate Build(string mount)
    {
        var app = new ApplicationBuilder(services);
        app.UseRouting();
        app.Use(next => context => IsAdminOperation(context.GetEndpoint()) ? next(context) : NoSuchOperationAsync(context));
        app.UseEndpoints(endpoints => map(endpoints, mount));
        return app.Build();
    }

    /// <summary>An endpoint the map built: each carries its group's name (the admin API's, the console's); routing's 405 endpoint has none.</summary>
    private static bool IsAdminOperation(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IEndpointGroupNameMetadata>()?.EndpointGroupName is { Length: > 0 };

    /// <summary>No endpoint (unknown path), or routing's own 405 endpoint (a known path with another method).</summary>
    private Task NoSuchOperationAsync(HttpContext context)
    {
        var result = access.Refuse(context, context.Request.Path.ToString()) ?? (context.GetEndpoint() is null
            ? TypedResults.Problem("no such admin operation", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Problem("method not allowed", statusCode: StatusCodes.Status405MethodNotAllowed));
        return result.ExecuteAsync(context);
    }
}
