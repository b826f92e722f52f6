using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Functions;

namespace MicAi.Tests.Admin;

/// <summary>The new admin resources and the OpenAPI document through the Functions catch-all (published worker).</summary>
public sealed class AdminFunctionsTests(FunctionsWorkerFixture fx) : IClassFixture<FunctionsWorkerFixture>
{
    private async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-admin-key", FunctionsWorkerFixture.AdminKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        var (response, invocation) = await fx.Host.InvokeHttpAsync("Admin", request, CancellationToken.None);
        Assert.True(invocation.Succeeded, $"Admin failed: {invocation.Exception}\n{fx.Host.Diagnostics()}");
        return response;
    }

    [Fact]
    public async Task Functions_ServesAgentCrud_AndValidationProblems()
    {
        var created = await AdminAsync(HttpMethod.Post, "/manage/agents", new { name = "from-functions", allowed_tools = new[] { "weather" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        var fetched = await AdminAsync(HttpMethod.Get, $"/manage/agents/{id}");
        Assert.Equal("from-functions", (await fetched.Content.ReadFromJsonAsync<JsonObject>())!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await AdminAsync(HttpMethod.Delete, $"/manage/agents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminAsync(HttpMethod.Get, $"/manage/agents/{id}")).StatusCode);

        var invalid = await AdminAsync(HttpMethod.Post, "/manage/agents", new { persona = "nameless" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull((await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["name"]);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await AdminAsync(HttpMethod.Patch, "/manage/agents")).StatusCode);
    }

    [Fact]
    public async Task Functions_ServesTheSameOpenApiDocument_WithTheManageMountAsServer()
    {
        var response = await AdminAsync(HttpMethod.Get, "/manage/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = doc["paths"]!.AsObject();
        Assert.All(AdminRouteTable.All, r => Assert.NotNull(paths[AdminRouteTable.Relative(r.Pattern)]?[r.Method.ToLowerInvariant()]));
        // The paths are relative to the server URL, which carries the Functions mount: /manage + /stats.
        Assert.Equal("/manage", Assert.Single(doc["servers"]!.AsArray())!["url"]!.GetValue<string>());
    }

    [RedoclyFact]
    public async Task Functions_OpenApiDocument_PassesRedoclyRecommendedRules_WithNoErrorOrWarning()
    {
        var response = await AdminAsync(HttpMethod.Get, "/manage/openapi.json");

        OpenApiLint.AssertClean(await OpenApiLint.LintAsync(await response.Content.ReadAsStringAsync()));
    }
}
