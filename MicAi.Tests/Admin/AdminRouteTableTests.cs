using MicAi.Core.Admin;
using Microsoft.AspNetCore.Http;

namespace MicAi.Tests.Admin;

/// <summary>The Functions catch-all matches the same table the Host maps: every route is reachable by method and path.</summary>
public sealed class AdminRouteTableTests
{
    public static TheoryData<string> Routes() => [.. AdminRoutes.All.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Routes))]
    public void CatchAll_FindsEveryRoute_ByMethodAndConcretePath(string name)
    {
        var route = AdminRoutes.All.Single(r => r.Name == name);
        var path = string.Join('/', route.Pattern.Split('/').Select(s => s.StartsWith('{') ? "12345" : s));

        var (found, values, _) = AdminEndpoints.Match(route.Method, path);

        Assert.Same(route, found);
        foreach (var parameter in route.Pattern.Split('/').Where(s => s.StartsWith('{')))
            Assert.Equal("12345", values[parameter.Trim('{', '}')]);
    }

    [Fact]
    public void RouteTable_HasUniqueNamesAndMethodPathPairs()
    {
        Assert.Equal(AdminRoutes.All.Count, AdminRoutes.All.Select(r => r.Name).Distinct().Count());
        Assert.Equal(AdminRoutes.All.Count, AdminRoutes.All.Select(r => (r.Method, r.Pattern)).Distinct().Count());
        Assert.All(AdminRoutes.All, r => Assert.True(HttpMethods.IsGet(r.Method) || HttpMethods.IsPost(r.Method) || HttpMethods.IsPut(r.Method) || HttpMethods.IsDelete(r.Method)));
    }
}
