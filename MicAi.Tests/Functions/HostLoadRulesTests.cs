using System.Text.Json.Nodes;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Functions;

/// <summary>
/// The real host's load-time rules (HostLoadRules) over the functions.metadata the Functions SDK generated for the
/// published app, as is and changed the way a regression would change it.
/// </summary>
public sealed class HostLoadRulesTests
{
    private static readonly Dictionary<string, string> AppSettings = new(FunctionsWorkerFixture.SampleSchedules());

    private static List<JsonObject> Published() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestServers.Required("MICAI_TEST_FUNCTIONS_DIR"), "functions.metadata")))!
            .AsArray().Cast<JsonObject>().ToList();

    private static JsonNode RepoHostJson() => JsonNode.Parse(File.ReadAllText(RepoPaths.Of("host.json")))!;

    private static HostLoad Load(List<JsonObject> functions, JsonNode? hostJson = null, IReadOnlyDictionary<string, string>? settings = null) =>
        HostLoadRules.Load(functions.Select(FunctionDefinition.FromMetadataFile), hostJson ?? RepoHostJson(),
            key => (settings ?? AppSettings).GetValueOrDefault(key));

    private static JsonObject Trigger(List<JsonObject> functions, string name) =>
        functions.Single(f => f["name"]!.GetValue<string>() == name)["bindings"]!.AsArray().Cast<JsonObject>()
            .Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));

    private static string SingleError(HostLoad load, string function) =>
        Assert.Single(Assert.Contains(function, load.Errors));

    [Fact]
    public void PublishedApp_LoadsWithNoFunctionInError()
    {
        var load = Load(Published());

        Assert.Empty(load.Errors);
        Assert.Equal(["Admin", "Health", "WebhookGet", "WebhookPost"], load.HttpTriggers.Select(t => t.Function).Order());
    }

    [Theory]
    [InlineData("admin/{*path}")] // the route MicAi used to have: the admin API never existed on Functions
    [InlineData("/Admin/stats")]
    [InlineData("administration/{*path}")] // a string prefix, not a path segment
    [InlineData("runtime/webhooks/{*path}")]
    public void Host_RefusesARouteInItsReservedSpace(string route)
    {
        var functions = Published();
        Trigger(functions, "Admin")["route"] = route;

        Assert.Equal("The specified route conflicts with one or more built in routes.", SingleError(Load(functions), "Admin"));
    }

    [Theory]
    [InlineData("manage/{*path}")]
    [InlineData("manage/console/{*path}")]
    [InlineData("api/admin/{*path}")] // checked before the prefix: only the start of the trigger's own route counts
    public void Host_AcceptsAdminRoutesOutsideItsReservedSpace(string route)
    {
        var functions = Published();
        Trigger(functions, "Admin")["route"] = route;

        Assert.Empty(Load(functions).Errors);
    }

    [Theory]
    [InlineData("*/5 * * * *")] // five fields: classic cron, which the timer extension does not take
    [InlineData("every 5 seconds")]
    [InlineData("61 * * * * *")]
    [InlineData("*/5 * * * * * *")]
    public void Host_RefusesATimerWhoseResolvedScheduleIsNotNcrontabWithSeconds(string schedule)
    {
        var settings = new Dictionary<string, string>(AppSettings) { ["MICAI_WORKER_POLL_SCHEDULE"] = schedule };

        Assert.Equal("The schedule expression was not recognized as a valid cron expression or timespan string.",
            SingleError(Load(Published(), settings: settings), "WorkerPoll"));
    }

    [Theory]
    [InlineData("0 */1 * * * *")]
    [InlineData("00:00:05")]
    public void Host_AcceptsSixFieldNcrontabOrATimeSpan(string schedule)
    {
        var settings = new Dictionary<string, string>(AppSettings) { ["MICAI_SCHEDULER_SCHEDULE"] = schedule };

        Assert.Empty(Load(Published(), settings: settings).Errors);
    }

    [Fact]
    public void Host_RefusesATimer_WhenItsScheduleSettingIsMissing()
    {
        var settings = new Dictionary<string, string>(AppSettings);
        settings.Remove("MICAI_SCHEDULER_SCHEDULE");

        Assert.Equal("'%MICAI_SCHEDULER_SCHEDULE%' does not resolve to a value.", SingleError(Load(Published(), settings: settings), "Scheduler"));
    }

    [Fact]
    public void Host_RefusesTheLaterOfTwoFunctions_WithTheSameRouteAndMethod()
    {
        var functions = Published();
        var copy = (JsonObject)functions.Single(f => f["name"]!.GetValue<string>() == "WebhookPost").DeepClone();
        copy["name"] = "WebhookPost2";
        functions.Add(copy);

        var load = Load(functions);

        Assert.Equal("The route specified conflicts with the route defined by function 'WebhookPost'.", SingleError(load, "WebhookPost2"));
        Assert.DoesNotContain("WebhookPost", load.Errors.Keys); // the same route with another method (WebhookGet) is fine
    }

    [Theory]
    [InlineData("Anonymous", true)]
    [InlineData("function", true)]
    [InlineData("Public", false)]
    public void Host_ParsesAuthLevel_AsItsEnumIgnoringCase(string authLevel, bool loads)
    {
        var functions = Published();
        Trigger(functions, "Health")["authLevel"] = authLevel;

        Assert.Equal(loads, !Load(functions).Errors.ContainsKey("Health"));
    }

    [Theory]
    [InlineData("manage/{*path}/more")] // a catch-all must be the last segment
    [InlineData("manage/{id:nosuchconstraint}")]
    [InlineData("manage/{path")]
    public void Host_RefusesARouteTemplateAspNetCoreCannotMap(string route)
    {
        var functions = Published();
        Trigger(functions, "Admin")["route"] = route;

        Assert.StartsWith("The host cannot map the route template", SingleError(Load(functions), "Admin"));
    }

    [Fact]
    public void Host_RoutesByHostJsonPrefix_WhichDefaultsToApi()
    {
        var withPrefix = Load(Published(), JsonNode.Parse("""{"version":"2.0"}"""));
        var repo = Load(Published());

        Assert.Equal("Health", withPrefix.Route("GET", "/api/health"));
        Assert.Null(withPrefix.Route("GET", "/health"));
        Assert.Equal("Health", repo.Route("GET", "/health"));
        Assert.Equal("Admin", repo.Route("DELETE", "/manage/agents/7"));
        Assert.Equal("WebhookPost", repo.Route("POST", "/webhook"));
        Assert.Null(repo.Route("GET", "/admin/stats"));
        Assert.Null(repo.Route("PUT", "/webhook"));
    }

    [Theory]
    [InlineData("""{"extensions":{"http":{"routePrefix":""}}}""", "The host.json file is missing the required 'version' property.")]
    [InlineData("""{"version":"3.0"}""", "'3.0' is an invalid value for host.json 'version' property.")]
    public void Host_RefusesHostJson_WithoutVersion20(string hostJson, string error)
    {
        var refused = Assert.Throws<FunctionsHostRefusedException>(() => Load(Published(), JsonNode.Parse(hostJson)));

        Assert.Equal(error, Assert.Single(refused.Errors));
    }
}
