using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace MicAi.Core.Admin;

/// <summary>
/// Maps the admin route table as minimal-API endpoints with the metadata the OpenAPI document is generated from:
/// operation id, tag, request and response schemas, problem responses and query parameters.
/// </summary>
public static class AdminEndpointMapping
{
    public static IEndpointRouteBuilder MapAdminRoutes(this IEndpointRouteBuilder app)
    {
        foreach (var entry in AdminRoutes.All)
        {
            var route = PlatformRoutes.Described(entry);
            // A route handler returning IResult (not a RequestDelegate), so the result is executed and the endpoint
            // reaches the OpenAPI document; it binds only a service and the context, nothing the document could mistake
            // for a body. Inline, so its request delegate is generated at build time.
            var endpoint = app.MapMethods(route.Pattern, [route.Method],
                    ([FromServices] AdminEndpoints admin, HttpContext context) => admin.RunAsync(context, route))
                .WithName(route.Name)
                .WithTags(route.Pattern.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "admin")
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status429TooManyRequests);
            if (route.Request is not null) endpoint.Accepts(route.Request, "application/json").ProducesValidationProblem();
            if (route.Response is not null) endpoint.Produces(route.Status, route.Response, "application/json");
            else endpoint.Produces(route.Status);
            if (route.Pattern.Contains('{')) endpoint.ProducesProblem(StatusCodes.Status404NotFound);
            if (route.Query is { Length: > 0 }) endpoint.ProducesValidationProblem();
            var pathParameters = route.Pattern.Split('/').Where(p => p.StartsWith('{')).Select(p => p.Trim('{', '}')).ToArray();
            if (pathParameters.Length > 0 || route.Query is { Length: > 0 })
                endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
                {
                    // The handler reads route and query values itself, so the generator cannot see them: declare them.
                    operation.Parameters ??= [];
                    foreach (var name in pathParameters)
                        operation.Parameters.Add(Parameter(name, ParameterLocation.Path, required: true));
                    foreach (var name in route.Query ?? [])
                        operation.Parameters.Add(Parameter(name, ParameterLocation.Query, required: false));
                    return Task.CompletedTask;
                });
        }
        return app;
    }

    private static OpenApiParameter Parameter(string name, ParameterLocation location, bool required) => new()
    {
        Name = name, In = location, Required = required,
        Schema = new OpenApiSchema
        {
            Type = name is "limit" or "offset" or "agent_id" or "rule_id" or "schedule_id" ? JsonSchemaType.Integer
                : name is "opted_out" ? JsonSchemaType.Boolean : JsonSchemaType.String,
        },
    };
}
