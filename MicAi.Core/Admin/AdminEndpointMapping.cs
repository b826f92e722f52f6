using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        foreach (var route in AdminRoutes.All)
        {
            // A Delegate (not a RequestDelegate), so the IResult is executed; AdminEndpoints is resolved per request so
            // the handler binds nothing that the document would mistake for a body.
            Func<HttpContext, Task<IResult>> handler = context => context.RequestServices.GetRequiredService<AdminEndpoints>().RunAsync(context, route);
            var endpoint = app.MapMethods(route.Pattern, [route.Method], (Delegate)handler)
                .WithName(route.Name)
                .WithTags(route.Pattern.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "admin")
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status429TooManyRequests);
            if (route.Request is not null) endpoint.Accepts(route.Request, "application/json").ProducesValidationProblem();
            if (route.Response is not null) endpoint.Produces(route.Status, route.Response, "application/json");
            else endpoint.Produces(route.Status);
            if (route.Pattern.Contains('{')) endpoint.ProducesProblem(StatusCodes.Status404NotFound);
            if (route.Query is { Length: > 0 } query)
            {
                endpoint.ProducesValidationProblem();
                endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
                {
                    operation.Parameters ??= [];
                    foreach (var name in query)
                        operation.Parameters.Add(new OpenApiParameter
                        {
                            Name = name, In = ParameterLocation.Query, Required = false,
                            Schema = new OpenApiSchema { Type = name is "limit" or "offset" ? JsonSchemaType.Integer : JsonSchemaType.String },
                        });
                    return Task.CompletedTask;
                });
            }
        }
        return app;
    }
}
