using System.Globalization;
using MicAi.Core.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace MicAi.Core.Admin;

/// <summary>
/// How the admin API's OpenAPI document is generated (Microsoft.AspNetCore.OpenApi, from the admin endpoints
/// themselves, in the private application of <see cref="AdminOpenApiDocument"/>): what every endpoint declares — name, summary, tag, typed results, request bodies, query inputs — plus
/// what belongs to the whole API here: info and licence, both ways to send the key, tag descriptions. Checked with
/// Redocly's recommended rules (the [RedoclyFact] tests in OpenApiDocumentTests and AdminFunctionsTests).
/// </summary>
public static class AdminOpenApi
{
    /// <summary>
    /// The licence the document states: the repository carries no licence, so all rights are reserved. An SPDX
    /// identifier is required by Redocly's info-license-strict; LicenseRef- is SPDX's form for a licence it does not list.
    /// </summary>
    public const string LicenceName = "Proprietary: all rights reserved", LicenceIdentifier = "LicenseRef-Proprietary";

    public static IServiceCollection AddAdminOpenApi(this IServiceCollection services) => services.AddOpenApi(AdminApi.GroupName, o =>
    {
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        o.ShouldInclude = description => description.GroupName == AdminApi.GroupName;
        o.AddDocumentTransformer((document, context, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "MicAi admin API",
                Version = "1",
                Description = "Every operation needs the admin key: header x-admin-key: <key> or Authorization: Bearer <key>. " +
                              "Errors are RFC 9457 problem details; validation errors carry field errors under \"errors\".",
                License = new OpenApiLicense { Name = LicenceName, Identifier = LicenceIdentifier },
            };
            // Either header works; the document names both so clients and generators send one of them.
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                ["AdminKey"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AdminAccessFilter.KeyHeader },
                ["Bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer" },
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("AdminKey", document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] },
            ];
            // Each tag's description comes from the endpoints that declare it (ApiTag metadata).
            var tags = context.DescriptionGroups.SelectMany(g => g.Items).SelectMany(d => d.ActionDescriptor.EndpointMetadata.OfType<ApiTag>())
                .DistinctBy(t => t.Name).OrderBy(t => t.Name, StringComparer.Ordinal);
            document.Tags = new HashSet<OpenApiTag>(tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
            return Task.CompletedTask;
        });
        o.AddSchemaTransformer((schema, context, _) =>
        {
            // Ids read as a number or a string (MicAi's, or the Python service's such as default-agent): the generator
            // cannot see through the converter, so the property says both.
            if (context.JsonPropertyInfo?.CustomConverter is IntegerOrStringJsonConverter)
            {
                schema.Type = JsonSchemaType.Integer | JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = null;
            }
            return Task.CompletedTask;
        });
        o.AddOperationTransformer(async (operation, context, ct) =>
        {
            // Inputs bound by BindAsync (JsonBody, QueryInput) are invisible to the generator, which lists them as
            // parameters without a location: drop those; the body is documented by its Accepts metadata, and query
            // inputs declare their parameters.
            if (operation.Parameters is { } parameters)
                foreach (var unplaced in parameters.Where(p => p.In is null).ToList()) parameters.Remove(unplaced);
            foreach (var query in context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryParameter>())
            {
                operation.Parameters ??= [];
                var schema = await context.GetOrCreateSchemaAsync(query.Type, null, ct);
                if (query.Minimum is { } min) schema.Minimum = min.ToString(CultureInfo.InvariantCulture);
                if (query.Maximum is { } max) schema.Maximum = max.ToString(CultureInfo.InvariantCulture);
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = query.Name, In = ParameterLocation.Query, Required = false, Description = query.Description, Schema = schema,
                });
            }
        });
        o.AddSchemaTransformer((schema, context, _) =>
        {
            // A body member's [Limit] (enforced by InputLimits) stated where clients and generators read it.
            if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(LimitAttribute), false) is [LimitAttribute limit, ..])
                ApplyLimit(schema, limit);
            return Task.CompletedTask;
        });
    });

    private static void ApplyLimit(OpenApiSchema schema, LimitAttribute limit)
    {
        if (limit.MaxLength != LimitAttribute.None) schema.MaxLength = limit.MaxLength;
        if (limit.MaxItems != LimitAttribute.None) schema.MaxItems = limit.MaxItems;
        if (limit.ItemMaxLength != LimitAttribute.None) schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = limit.ItemMaxLength };
        if (!limit.HasRange) return;
        schema.Minimum = limit.Minimum.ToString(CultureInfo.InvariantCulture);
        schema.Maximum = limit.Maximum.ToString(CultureInfo.InvariantCulture);
    }
}
