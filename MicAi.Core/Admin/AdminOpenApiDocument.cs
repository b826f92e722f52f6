using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace MicAi.Core.Admin;

/// <summary>
/// GET {mount}/openapi.json: the admin API's OpenAPI document (<see cref="AdminOpenApi"/>). Paths are relative to the
/// one <c>servers</c> entry, the base the document was fetched under — <c>/admin</c> on the Host, <c>/manage</c> on
/// Functions, with any path base in front — so a client generated from either calls the right URLs.
/// </summary>
public sealed class AdminOpenApiDocument([FromKeyedServices(AdminApi.GroupName)] IOpenApiDocumentProvider provider)
{
    // One document per base; a process serves one (the routes fix the paths, only the mount differs).
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> documents = new(StringComparer.Ordinal);

    public async Task<string> GetAsync(string pathBase, string mount) =>
        await documents.GetOrAdd(pathBase + mount, server => new Lazy<Task<string>>(() => BuildAsync(server, mount))).Value;

    private async Task<string> BuildAsync(string server, string mount)
    {
        var document = await provider.GetOpenApiDocumentAsync(CancellationToken.None);
        document.Servers = [new OpenApiServer { Url = server, Description = "the admin API of this deployment" }];
        // Only this mount's endpoints (a process could map the admin API twice), relative to the server.
        var relative = new OpenApiPaths();
        foreach (var (pattern, item) in document.Paths.Where(p => p.Key.StartsWith(mount + "/", StringComparison.Ordinal)))
            relative[pattern[mount.Length..]] = item;
        document.Paths = relative;
        return await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, CancellationToken.None);
    }
}

public static class AdminOpenApiEndpoint
{
    public static void MapOpenApiDocument(this IEndpointRouteBuilder admin, string mount) =>
        admin.MapGet(FileNameRoute, async Task<ContentHttpResult> (HttpContext context, [FromServices] AdminOpenApiDocument document) =>
                TypedResults.Text(await document.GetAsync(context.Request.PathBase, mount), "application/json"))
            .WithName("OpenApiDocument")
            .WithSummary("This OpenAPI document")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");

    private const string FileNameRoute = "/openapi.json";
}
