using System.Text.Json;
using System.Text.Json.Nodes;
using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Functions;

/// <summary>
/// What the Functions host will read from the published app: the indexed functions with their triggers, and the
/// worker and host configuration. Cheap, static, and it catches attribute and route regressions.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static string Published(string file) => Path.Combine(TestServers.Required("MICAI_TEST_FUNCTIONS_DIR"), file);

    private static Dictionary<string, JsonObject> Functions() =>
        JsonNode.Parse(File.ReadAllText(Published("functions.metadata")))!.AsArray()
            .Cast<JsonObject>().ToDictionary(f => f["name"]!.GetValue<string>());

    private static JsonObject Trigger(JsonObject function) =>
        function["bindings"]!.AsArray().Cast<JsonObject>().Single(b => b["direction"]!.GetValue<string>() == "In");

    [Fact]
    public void Metadata_ListsExactlyTheMicAiFunctions()
    {
        Assert.Equal(["Admin", "Health", "Scheduler", "WebhookGet", "WebhookPost", "WorkerPoll"], Functions().Keys.Order());
        Assert.All(Functions().Values, f =>
        {
            Assert.Equal("dotnet-isolated", f["language"]!.GetValue<string>());
            Assert.Equal("MicAi.Functions.dll", f["scriptFile"]!.GetValue<string>());
        });
    }

    [Theory]
    [InlineData("Health", "health", new[] { "get" })]
    [InlineData("WebhookGet", "webhook", new[] { "get" })]
    [InlineData("WebhookPost", "webhook", new[] { "post" })]
    [InlineData("Admin", "manage/{*path}", new[] { "get", "post", "put", "patch", "delete" })]
    public void HttpFunction_IsAnonymousWithRouteAndMethods(string name, string route, string[] methods)
    {
        var function = Functions()[name];
        var trigger = Trigger(function);

        Assert.Equal("httpTrigger", trigger["type"]!.GetValue<string>());
        // Anonymous everywhere: Meta cannot send function keys (the HMAC authenticates it); admin has its own key.
        Assert.Equal("Anonymous", trigger["authLevel"]!.GetValue<string>());
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(methods, trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Contains(function["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "http" && b["direction"]!.GetValue<string>() == "Out");
    }

    [Theory]
    [InlineData("WorkerPoll", "%MICAI_WORKER_POLL_SCHEDULE%")]
    [InlineData("Scheduler", "%MICAI_SCHEDULER_SCHEDULE%")]
    public void TimerFunction_TakesItsScheduleFromAppSettings(string name, string schedule)
    {
        var trigger = Trigger(Functions()[name]);

        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal(schedule, trigger["schedule"]!.GetValue<string>());
    }

    [Fact]
    public void WorkerConfig_DescribesAnIsolatedDotnetWorker()
    {
        var description = JsonNode.Parse(File.ReadAllText(Published("worker.config.json")))!["description"]!;

        Assert.Equal("dotnet-isolated", description["language"]!.GetValue<string>());
        Assert.Equal("MicAi.Functions.dll", description["defaultWorkerPath"]!.GetValue<string>());
        Assert.Equal("true", description["workerIndexing"]!.ToString());
    }

    [Fact]
    public void HostJson_IsTheRepositoryFile_WithAnEmptyRoutePrefix()
    {
        // Published from the root host.json, so /health and /webhook match the Host's URLs (admin: /manage, see docs/functions.md).
        Assert.Equal(File.ReadAllText(RepoPaths.Of("host.json")), File.ReadAllText(Published("host.json")));
        var host = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.True(TimeSpan.Parse(host["functionTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void LocalSettingsSample_SetsTheRuntimeStorageSchedulesAndEveryMicAiKey()
    {
        var values = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("local.settings.sample.json")))!["Values"]!.AsObject();

        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]!.GetValue<string>());
        Assert.Equal("*/5 * * * * *", values["MICAI_WORKER_POLL_SCHEDULE"]!.GetValue<string>());
        Assert.Equal("*/15 * * * * *", values["MICAI_SCHEDULER_SCHEDULE"]!.GetValue<string>());
        // MICAI_ROLE picks a Host process role; it means nothing to the Functions app.
        var keys = SettingsCatalog.All.Where(s => s.Name.StartsWith("MICAI_", StringComparison.Ordinal) && s.Scope != SettingScope.HostOnly && s.Declaration.Deprecated is null)
            .Select(s => s.Name);
        Assert.All(keys, key => Assert.True(values.ContainsKey(key), $"local.settings.sample.json lacks {key}"));
    }

    [Fact]
    public void Schedules_AreTheSameLocallyAndInTheBicepDefaults()
    {
        var values = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("local.settings.sample.json")))!["Values"]!.AsObject();
        var bicep = File.ReadAllText(RepoPaths.Of("infra/main.bicep"));

        Assert.Contains($"param workerPollSchedule string = '{values["MICAI_WORKER_POLL_SCHEDULE"]}'", bicep);
        Assert.Contains($"param schedulerSchedule string = '{values["MICAI_SCHEDULER_SCHEDULE"]}'", bicep);
        Assert.Contains($"param workerPollBudgetSeconds int = {values["MICAI_WORKER_POLL_BUDGET_SECONDS"]}", bicep);
    }

    [Fact]
    public void LocalSettingsSample_LoadsAsValidDevSettings()
    {
        var values = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("local.settings.sample.json")))!["Values"]!.AsObject();

        var settings = MicAiSettings.Load(key => values[key]?.GetValue<string>(), new SecretSource(Path.GetTempPath()));

        Assert.Equal(AppEnvironment.Dev, settings.App.Environment);
        Assert.False(settings.Outbound.ReplyEnabled); // a local run never messages real people by accident
    }
}
