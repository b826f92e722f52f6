using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Admin;
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
        var created = await AdminAsync(HttpMethod.Post, "/admin/agents", new { name = "from-functions", allowed_tools = new[] { "weather" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        var fetched = await AdminAsync(HttpMethod.Get, $"/admin/agents/{id}");
        Assert.Equal("from-functions", (await fetched.Content.ReadFromJsonAsync<JsonObject>())!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await AdminAsync(HttpMethod.Delete, $"/admin/agents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminAsync(HttpMethod.Get, $"/admin/agents/{id}")).StatusCode);

        var invalid = await AdminAsync(HttpMethod.Post, "/admin/agents", new { persona = "nameless" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull((await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["name"]);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await AdminAsync(HttpMethod.Patch, "/admin/agents")).StatusCode);
    }

    [Fact]
    public async Task Functions_ServesTheSameOpenApiDocument()
    {
        var response = await AdminAsync(HttpMethod.Get, "/admin/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!.AsObject();
        Assert.All(AdminRoutes.All, r => Assert.NotNull(paths[r.Pattern]?[r.Method.ToLowerInvariant()]));
    }
}
