using System.Text;
using System.Text.Json;
using MicAi.Core.Admin;
using MicAi.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Tests.Admin;

/// <summary>
/// AdminCatchAll.InvokeAsync is what the Functions catch-all calls: it must route the same operations by method and
/// path as the Host's mapped routes, over a bare HttpContext, under the Functions mount (/manage).
/// </summary>
public sealed class AdminDispatchTests(AdminApiFixture fx) : IClassFixture<AdminApiFixture>
{
    private const string Mount = "/manage"; // MicAi.Functions' AdminFunction route
    private async Task<(int Status, string ContentType, JsonElement Json)> DispatchAsync(
        string method, string path, string? body = null, string? key = MicAiApiFactory.AdminKey, string? bearer = null)
    {
        await using var scope = fx.Api.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Path = path;
        if (key is not null) context.Request.Headers[AdminAccessFilter.KeyHeader] = key;
        if (bearer is not null) context.Request.Headers.Authorization = "Bearer " + bearer;
        if (body is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        }
        var output = new MemoryStream();
        context.Response.Body = output;

        await fx.CatchAll.InvokeAsync(context, Mount);

        var text = Encoding.UTF8.GetString(output.ToArray());
        return (context.Response.StatusCode, context.Response.ContentType ?? "", text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Dispatch_CreatesRule_ForPostAdminRules()
    {
        var (status, _, json) = await DispatchAsync("POST", "/manage/rules",
            """{"agent_id":1,"rule_type":"keyword","keywords":"hello, hi","action":"reply_text","reply_text":"Hi {name}!","priority":10,"enabled":true}""");

        Assert.Equal(200, status);
        var id = json.GetProperty("id").GetInt64();
        Assert.Equal(["hello", "hi"], json.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(1L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM agent_rules WHERE id = $1", id));
    }

    [Fact]
    public async Task Dispatch_Returns400FieldErrors_ForInvalidRule()
    {
        var (status, contentType, json) = await DispatchAsync("POST", "/manage/rules", """{"rule_type":"regex","keywords":["x"],"reply_text":"y"}""");

        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", contentType);
        Assert.True(json.GetProperty("errors").TryGetProperty("rule_type", out _));
    }

    [Fact]
    public async Task Dispatch_BindsContact_ForPostAdminBind_WithRouteValues()
    {
        var (status, _, json) = await DispatchAsync("POST", "/manage/bind/15550009999/1");

        Assert.Equal(200, status);
        Assert.Equal("15550009999", json.GetProperty("wa_id").GetString());
        Assert.Equal(1L, await fx.Db.ScalarAsync<long>("SELECT agent_id FROM contacts WHERE wa_id = '15550009999'"));
    }

    [Fact]
    public async Task Dispatch_Returns404_ForBindToUnknownAgent()
    {
        var (status, _, _) = await DispatchAsync("POST", "/manage/bind/15550008888/999999");
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task Dispatch_ReturnsStats_ForGetAdminStats_WithBearerToken()
    {
        var (status, _, json) = await DispatchAsync("GET", "/manage/stats", key: null, bearer: MicAiApiFactory.AdminKey);

        Assert.Equal(200, status);
        Assert.True(json.GetProperty("queue").TryGetProperty("length", out _));
        Assert.True(json.GetProperty("outbound_env_enabled").GetBoolean());
    }

    [Theory]
    [InlineData("GET", "/manage/nothing")]
    [InlineData("GET", "/manage")]
    [InlineData("POST", "/manage/bind")]
    [InlineData("POST", "/manage/bind/15550001111/1/extra")]
    [InlineData("GET", "/webhook")]
    [InlineData("GET", "/admin/stats")] // the Host's path is not the Functions mount
    [InlineData("GET", "/managers/stats")]
    public async Task Dispatch_Returns404Problem_ForUnknownPath(string method, string path)
    {
        var (status, contentType, _) = await DispatchAsync(method, path);
        Assert.Equal(404, status);
        Assert.StartsWith("application/problem+json", contentType);
    }

    [Theory]
    [InlineData("GET", "/manage/rules")]
    [InlineData("DELETE", "/manage/rules")]
    [InlineData("POST", "/manage/stats")]
    [InlineData("GET", "/manage/bind/15550001111/1")]
    [InlineData("POST", "/manage/bind/15550001111")] // DELETE unbinds
    public async Task Dispatch_Returns405Problem_ForWrongMethod(string method, string path)
    {
        var (status, contentType, _) = await DispatchAsync(method, path);
        Assert.Equal(405, status);
        Assert.StartsWith("application/problem+json", contentType);
    }

    [Theory]
    [InlineData("GET", "/manage/stats", null)]
    [InlineData("GET", "/manage/stats", "wrong-key")]
    [InlineData("GET", "/manage/nothing", null)]
    [InlineData("GET", "/manage/rules", null)]
    [InlineData("POST", "/manage/bind/15550007777/1", "wrong-key")]
    public async Task Dispatch_Returns401BeforeRouting_WhenKeyIsMissingOrWrong(string method, string path, string? key)
    {
        var (status, _, _) = await DispatchAsync(method, path, key: key);

        Assert.Equal(401, status);
        Assert.Equal(0L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE wa_id = '15550007777'"));
    }

    [Fact]
    public async Task Dispatch_MatchesMethodCaseInsensitively_AndPathWithTrailingSlash()
    {
        var (status, _, _) = await DispatchAsync("get", "/manage/stats/");
        Assert.Equal(200, status);
    }
}
