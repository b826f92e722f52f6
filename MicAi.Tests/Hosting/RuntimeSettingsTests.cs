using System.Text.Json.Nodes;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Hosting;

/// <summary>
/// The runtime settings the roles start with, read from the runtimeconfig.json next to the assembly that is launched
/// (the file the .NET host reads, so what a deploy runs).
/// </summary>
public sealed class RuntimeSettingsTests
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";
    private const string Gen0Budget = "System.GC.Gen0MaxBudget";
    private const int ThirtyTwoMegabytes = 32 * 1024 * 1024;

    [Fact]
    public void HostRoles_StartWithThreadPoolSpinningOff()
    {
        Assert.Equal(0, ConfigProperty(HostProcess.HostDirectory, "MicAi.Host", SpinLimit));
    }

    [Fact]
    public void FunctionsWorker_StartsWithThreadPoolSpinningOff()
    {
        Assert.Equal(0, ConfigProperty(TestServers.Required("MICAI_TEST_FUNCTIONS_DIR"), "MicAi.Functions", SpinLimit));
    }

    [Fact]
    public void HostRoles_StartWithGen0BudgetCappedAt32MB()
    {
        Assert.Equal(ThirtyTwoMegabytes, ConfigProperty(HostProcess.HostDirectory, "MicAi.Host", Gen0Budget));
    }

    [Fact]
    public void FunctionsWorker_StartsWithGen0BudgetCappedAt32MB()
    {
        Assert.Equal(ThirtyTwoMegabytes, ConfigProperty(TestServers.Required("MICAI_TEST_FUNCTIONS_DIR"), "MicAi.Functions", Gen0Budget));
    }

    private static int? ConfigProperty(string directory, string app, string name)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, app + ".runtimeconfig.json")))!;
        return config["runtimeOptions"]?["configProperties"]?[name]?.GetValue<int>();
    }
}
