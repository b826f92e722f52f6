using System.Collections.Concurrent;
using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace MicAi.Core.Admin;

/// <summary>
/// GET {mount}/openapi.json: the admin API's OpenAPI document (<see cref="AdminOpenApi"/>), generated from the admin
/// endpoints this process serves at that mount. The generator runs, on the first request, in a private never-started
/// application handed those endpoints: its services stay out of the app, which would otherwise load them at every
/// start for a document an operator fetches now and then (about 2 MB of idle memory per api process). Paths are
/// relative to the one
/// <c>servers</c> entry, the base the document was fetched under — <c>/admin</c> on the Host, <c>/manage</c> on
/// Functions, with any path base in front — so a client generated from either calls the right URLs.
/// </summary>
public sealed class AdminOpenApiDocument(EndpointDataSource endpoints)
{
    // One document per base; a process serves one (the endpoints fix the paths, only the mount differs).
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> documents = new(StringComparer.Ordinal);

    public async Task<string> GetAsync(string pathBase, string mount) =>
        await documents.GetOrAdd(pathBase + mount, server => new Lazy<Task<string>>(() => BuildAsync(server, mount))).Value;

    private async Task<string> BuildAsync(string server, string mount)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "MicAi" });
        builder.WebHost.UseKestrelCore(); // WebApplication needs a server type; this one is never started
        builder.Services.AddRouting();
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => ApiJson.Apply(o.SerializerOptions));
        builder.Services.AddAdminOpenApi();
        await using var app = builder.Build();
        // UseEndpoints publishes the served endpoints to the routing services the generator reads (a started app would).
        var served = endpoints.Endpoints.OfType<RouteEndpoint>().Where(e =>
            e.Metadata.GetMetadata<IEndpointGroupNameMetadata>()?.EndpointGroupName == AdminApi.GroupName &&
            $"/{e.RoutePattern.RawText?.TrimStart('/')}".StartsWith(mount + "/", StringComparison.Ordinal));
        app.UseRouting();
#pragma warning disable ASP0014 // this app never runs: UseEndpoints is how its routing services learn the endpoints
        app.UseEndpoints(e => e.DataSources.Add(new DefaultEndpointDataSource(served)));
#pragma warning restore ASP0014
        var document = await app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(AdminApi.GroupName)
            .GetOpenApiDocumentAsync(CancellationToken.None);
        document.Servers = [new OpenApiServer { Url = server, Description = "the admin API of this deployment" }];
        var relative = new OpenApiPaths();
        foreach (var (pattern, item) in document.Paths) relative[pattern[mount.Length..]] = item;
        document.Paths = relative;
        return await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, CancellationToken.None);
    }
}

public static class AdminOpenApiEndpoint
{
    public static void MapOpenApiDocument(this IEndpointRouteBuilder admin, string mount) =>
        admin.MapGet("/openapi.json", async Task<ContentHttpResult> (HttpContext context, [FromServices] AdminOpenApiDocument document) =>
                TypedResults.Text(await document.GetAsync(context.Request.PathBase, mount), "application/json"))
            .WithName("OpenApiDocument")
            .WithSummary("This OpenAPI document")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
}
