using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Http;

/// <summary>An OpenAPI tag with its description, declared by the endpoints that carry it.</summary>
public sealed record ApiTag(string Name, string Description);

public static class ApiTags
{
    /// <summary>A group of endpoints under <paramref name="prefix"/> (may be empty), all tagged <paramref name="tag"/>.</summary>
    public static RouteGroupBuilder MapTagged(this IEndpointRouteBuilder endpoints, string prefix, ApiTag tag) =>
        endpoints.MapGroup(prefix).WithTags(tag.Name).WithMetadata(tag);
}
