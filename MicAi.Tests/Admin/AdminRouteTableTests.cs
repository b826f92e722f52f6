using MicAi.Core.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Tests.Admin;

/// <summary>
/// The Functions catch-all runs the endpoints the Host maps: every operation is reached by its method and a concrete
/// path under the Functions mount, with its route values. Sent without a key, so routing happens and nothing runs.
/// </summary>
public sealed class AdminRouteTableTests(AdminApiFixture fx) : IClassFixture<AdminApiFixture>
{
    private const string Mount = "/manage"; // MicAi.Functions' AdminFunction route

    public static TheoryData<string> Routes() => [.. AdminRouteTable.All.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CatchAll_FindsEveryRoute_ByMethodAndConcretePath(string name)
    {
        var route = AdminRouteTable.All.Single(r => r.Name == name);
        var context = new DefaultHttpContext { RequestServices = fx.Api.Services };
        context.Request.Method = route.Method;
        context.Request.Path = Mount + string.Join('/', AdminRouteTable.Relative(route.Pattern).Split('/').Select(s => s.StartsWith('{') ? "12345" : s));

        await fx.CatchAll.InvokeAsync(context, Mount);

        Assert.Equal(name, context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName);
        foreach (var parameter in route.Pattern.Split('/').Where(s => s.StartsWith('{')))
            Assert.Equal("12345", context.Request.RouteValues[parameter.Trim('{', '}')]);
        Assert.Contains(context.Response.StatusCode, new[] { StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests });
    }

    [Fact]
    public void RouteTable_HasUniqueNamesAndMethodPathPairs()
    {
        Assert.Equal(AdminRouteTable.All.Count, AdminRouteTable.All.Select(r => r.Name).Distinct().Count());
        Assert.Equal(AdminRouteTable.All.Count, AdminRouteTable.All.Select(r => (r.Method, r.Pattern)).Distinct().Count());
        Assert.All(AdminRouteTable.All, r => Assert.True(HttpMethods.IsGet(r.Method) || HttpMethods.IsPost(r.Method) || HttpMethods.IsPut(r.Method) || HttpMethods.IsDelete(r.Method)));
    }
}
