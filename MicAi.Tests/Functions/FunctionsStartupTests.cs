using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Functions;

/// <summary>The Functions app loads settings through the same AddMicAiCore as the Host and refuses bad ones at start.</summary>
public sealed class FunctionsStartupTests
{
    private static string AppDirectory => Path.GetFullPath(TestServers.Required("MICAI_TEST_FUNCTIONS_DIR"));

    [Fact]
    public async Task Worker_RefusesToStart_NamingEveryMissingProdSetting()
    {
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => FunctionsTestHost.StartAsync(AppDirectory,
            new Dictionary<string, string> { [AppSettings.Keys.AppEnv] = "prod" }, CancellationToken.None));

        Assert.NotEqual(0, error.ExitCode);
        Assert.All(SettingsCatalog.RequiredInProd, key => Assert.Contains(key, error.Output));
    }

    [Fact]
    public async Task Worker_RefusesToStart_WhenThePollBudgetIsNotANumber()
    {
        var database = await TestServers.CreateDatabaseAsync();
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => FunctionsTestHost.StartAsync(AppDirectory, new Dictionary<string, string>
        {
            [AppSettings.Keys.AppEnv] = "test",
            [StorageSettings.Keys.DatabaseUrl] = database,
            [QueueSettings.Keys.RedisUrl] = TestServers.RedisUrl,
            ["MICAI_WORKER_POLL_BUDGET_SECONDS"] = "fifty",
        }, CancellationToken.None));

        Assert.Contains("MICAI_WORKER_POLL_BUDGET_SECONDS must be a whole number of seconds from 1 to 240", error.Output);
    }
}
