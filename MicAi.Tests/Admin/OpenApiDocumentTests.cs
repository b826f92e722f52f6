using System.Net;
using System.Text.Json.Nodes;

namespace MicAi.Tests.Admin;

public sealed class OpenApiDocumentTests(AdminResourceFixture fx) : IClassFixture<AdminResourceFixture>
{
    private async Task<JsonObject> DocumentAsync()
    {
        var response = await fx.Admin().GetAsync("/admin/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;
    }

    [Fact]
    public async Task OpenApi_ListsEveryAdminEndpoint_WithItsOperationId()
    {
        var doc = await DocumentAsync();
        Assert.StartsWith("3.1", doc["openapi"]!.GetValue<string>());
        var paths = doc["paths"]!.AsObject();
        foreach (var route in AdminRouteTable.All)
        {
            var operation = paths[AdminRouteTable.Relative(route.Pattern)]?[route.Method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{route.Method} {route.Pattern} is missing from the document");
            Assert.Equal(route.Name, operation!["operationId"]!.GetValue<string>());
        }
        Assert.Equal(AdminRouteTable.All.Count, paths.Sum(p => p.Value!.AsObject().Count(o => o.Key is "get" or "post" or "put" or "delete" or "patch")));
    }

    [Fact]
    public async Task OpenApi_DescribesBodiesInSnakeCase_AndQueryParameters()
    {
        var doc = await DocumentAsync();
        var create = doc["paths"]!["/agents"]!["post"]!;
        Assert.NotNull(create["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(create["responses"]!["201"]);
        Assert.NotNull(create["responses"]!["400"]);
        var agentView = doc["components"]!["schemas"]!["AgentView"]!["properties"]!.AsObject();
        Assert.Contains("fallback_reply", agentView.Select(p => p.Key));
        Assert.Contains("allowed_tools", agentView.Select(p => p.Key));
        var rule = doc["components"]!["schemas"]!["RuleInput"]!["properties"]!.AsObject();
        Assert.Contains("reply_text", rule.Select(p => p.Key));
        var outbound = doc["paths"]!["/outbound/messages"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());
        Assert.Equal(new[] { "limit", "offset", "status", "wa_id", "wamid" }, outbound);
        var getAgent = doc["paths"]!["/agents/{agent_id}"]!["get"]!;
        Assert.NotNull(getAgent["responses"]!["404"]);
        var idParameter = Assert.Single(getAgent["parameters"]!.AsArray())!;
        Assert.Equal(("agent_id", "path", true), (idParameter["name"]!.GetValue<string>(), idParameter["in"]!.GetValue<string>(), idParameter["required"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task OpenApi_PathsAreRelativeToTheOneServer_TheHostsAdminBase()
    {
        var doc = await DocumentAsync();

        Assert.Equal("/admin", Assert.Single(doc["servers"]!.AsArray())!["url"]!.GetValue<string>());
        Assert.All(doc["paths"]!.AsObject(), p => Assert.DoesNotContain("/admin", p.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApi_DeclaresBothWaysToSendTheKey()
    {
        var doc = await DocumentAsync();
        var schemes = doc["components"]!["securitySchemes"]!;
        Assert.Equal(("apiKey", "header", "x-admin-key"),
            (schemes["AdminKey"]!["type"]!.GetValue<string>(), schemes["AdminKey"]!["in"]!.GetValue<string>(), schemes["AdminKey"]!["name"]!.GetValue<string>()));
        Assert.Equal("bearer", schemes["Bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal(2, doc["security"]!.AsArray().Count);
    }

    [RedoclyFact]
    public async Task OpenApi_PassesRedoclyRecommendedRules_WithNoErrorOrWarning()
    {
        var response = await fx.Admin().GetAsync("/admin/openapi.json");

        OpenApiLint.AssertClean(await OpenApiLint.LintAsync(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task OpenApi_NeedsTheAdminKey()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await fx.Api.CreateClient().GetAsync("/admin/openapi.json")).StatusCode);
    }
}
