using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Admin;

/// <summary>
/// The admin API's route group: every admin endpoint is mapped under it, by its capability's own <c>MapX</c>
/// (the list is in <c>MicAiEndpoints.MapAdminApi</c>), and gets the same treatment on both shapes — the access check
/// first (<see cref="AdminAccessFilter"/>), then Postgres outages as 503 (<see cref="StorageOutageFilter"/>), then
/// input validation (<see cref="InputValidationFilter"/>). The Host maps it at <see cref="HostMount"/>; the Functions
/// catch-all runs the same endpoints under its own mount (<see cref="AdminCatchAll"/>).
/// </summary>
public static class AdminApi
{
    /// <summary>Where the Host serves the admin API. The Functions host refuses routes that start with "admin" (docs/functions.md).</summary>
    public const string HostMount = "/admin";

    /// <summary>The OpenAPI group name of every admin endpoint (and the document's name).</summary>
    public const string GroupName = "admin";

    public static readonly ApiTag Operations = new("operations", "The state of the pipeline, and this document.");

    /// <summary>Maps the admin group at <paramref name="mount"/> with its own operations (stats, the OpenAPI document).</summary>
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app, string mount)
    {
        var admin = app.MapGroup(mount).WithGroupName(GroupName);
        // One instance of each filter for every endpoint: AddEndpointFilter<T> would compile an activator per endpoint
        // when the routes are first built (the first request's cost). The access filter, a singleton of the app's
        // services, is taken at the first admin request, so building the endpoints needs nothing from them.
        var access = new Lazy<AdminAccessFilter>(() => app.ServiceProvider.GetRequiredService<AdminAccessFilter>());
        admin.AddEndpointFilterFactory((_, next) => invocation => access.Value.InvokeAsync(invocation, next));
        admin.AddEndpointFilter(StorageOutageFilter.Instance);
        admin.AddEndpointFilter(InputValidationFilter.Instance);
        admin.ProducesProblem(StatusCodes.Status401Unauthorized)
             .ProducesProblem(StatusCodes.Status403Forbidden)
             .ProducesProblem(StatusCodes.Status429TooManyRequests)
             .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        var operations = admin.MapTagged("", Operations);
        operations.MapStats();
        operations.MapOpenApiDocument(mount);
        return admin;
    }
}
