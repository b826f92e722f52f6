using System.Net;
using System.Net.Http.Headers;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

public sealed class AdminAuthTests(AdminApiFixture fx) : IClassFixture<AdminApiFixture>
{
    public static TheoryData<string, string> Operations => new()
    {
        { "GET", "/admin/stats" },
        { "POST", "/admin/rules" },
        { "POST", "/admin/bind/15550001111/1" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Admin_Returns401Problem_WhenKeyIsMissing(string method, string path)
    {
        var response = await fx.Api.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = AdminApiFixture.Json("{}") });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Admin_Returns401AndChangesNothing_WhenKeyIsWrong(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = AdminApiFixture.Json("""{"keywords":"x","reply_text":"y"}""") };
        request.Headers.Add("x-admin-key", MicAiApiFactory.AdminKey + "x");
        var response = await fx.Api.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM agent_rules"));
        Assert.Equal(0L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM contacts"));
    }

    [Theory]
    [InlineData("Bearer", "test-admin-key-0123456789x")]
    [InlineData("Bearer", "")]
    [InlineData("Basic", MicAiApiFactory.AdminKey)]
    public async Task Admin_Returns401_WhenAuthorizationHeaderIsWrong(string scheme, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/stats");
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {key}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await fx.Api.CreateClient().SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Admin_AcceptsXAdminKeyHeader()
    {
        var response = await fx.Api.CreateAdminClient().GetAsync("/admin/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    public async Task Admin_AcceptsBearerToken(string scheme)
    {
        var client = fx.Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, MicAiApiFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/stats")).StatusCode);
    }
}
