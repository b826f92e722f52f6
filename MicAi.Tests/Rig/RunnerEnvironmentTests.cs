using System.Net;
using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.Outbox;
using MicAi.Tests.Deployment.Support;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Tests.Rig;

/// <summary>
/// MICAI_* settings exported in the shell that runs the tests change nothing: every Host a test starts sees only the
/// settings the test gives. Each variable here would change the outcome if it leaked: the worker role serves no HTTP,
/// the _FILE key beats the test's key, other prefixes and outbound off change how messages are answered.
/// </summary>
public sealed class RunnerEnvironmentTests : IDisposable
{
    internal const string RunnerKey = "runner-admin-key-0123456789";
    internal const string RunnerFileKey = "runner-file-admin-key-0123456789";
    private readonly string keyFile = Path.GetTempFileName();

    public RunnerEnvironmentTests() => File.WriteAllText(keyFile, RunnerFileKey);

    /// <summary>The runner's shell, exporting Host settings, until disposed.</summary>
    internal static IDisposable RunnerExports(string keyFile) => RunnerEnvironment.Set(
        (HostingSettings.Keys.Role, "worker"),
        (AdminSettings.Keys.ApiKey, RunnerKey),
        (AdminSettings.Keys.ApiKey + "_FILE", keyFile),
        (AgentSettings.Keys.InvokePrefixes, "runner:"),
        (OutboundSettings.Keys.ReplyEnabled, "false"));

    /// <summary>An api (health answers) that takes the test's admin key and neither of the runner's.</summary>
    internal static async Task AssertServesTheTestsAdminKeyOnlyAsync(HttpClient http)
    {
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        foreach (var (key, expected) in new[] { (MicAiApiFactory.AdminKey, HttpStatusCode.OK), (RunnerKey, HttpStatusCode.Unauthorized), (RunnerFileKey, HttpStatusCode.Unauthorized) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/stats") { Headers = { { "x-admin-key", key } } };
            Assert.Equal(expected, (await http.SendAsync(request)).StatusCode);
        }
    }

    private static void AssertTestDefaults(IServiceProvider loaded)
    {
        Assert.Equal(MicAiApiFactory.AdminKey, loaded.GetRequiredService<AdminSettings>().ApiKey);
        Assert.Equal(["michael:", "@michael", "/ask"], loaded.GetRequiredService<AgentSettings>().InvokePrefixes);
        Assert.True(loaded.GetRequiredService<OutboundSettings>().ReplyEnabled);
    }

    [Fact]
    public async Task InMemoryApi_IgnoresMicAiVariablesOfTheRunnersEnvironment()
    {
        await using var api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"));

        using (RunnerExports(keyFile))
            await AssertServesTheTestsAdminKeyOnlyAsync(api.CreateClient()); // the host is built here, while they are set

        AssertTestDefaults(api.Services);
    }

    [Fact]
    public async Task CoreServices_IgnoreMicAiVariablesOfTheRunnersEnvironment()
    {
        using (RunnerExports(keyFile))
        {
            await using var core = await CoreServices.StartAsync(migrate: false);
            AssertTestDefaults(core.Services);
        }
    }

    public void Dispose() => File.Delete(keyFile);
}

/// <summary>The published Host a test starts gets only the environment the test gives it.</summary>
[Collection(PublishedHostCollection.Name)]
public sealed class RunnerEnvironmentProcessTests
{
    [Fact]
    public async Task PublishedHost_IgnoresMicAiVariablesOfTheRunnersEnvironment()
    {
        var keyFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(keyFile, RunnerEnvironmentTests.RunnerFileKey);
        var env = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/");
        try
        {
            HostProcess api;
            using (RunnerEnvironmentTests.RunnerExports(keyFile))
                api = HostProcess.Start([], env, HostProcess.FreePort()); // no role argument: MICAI_ROLE would decide
            await using (api)
            {
                await api.WaitForHealthAsync(TimeSpan.FromSeconds(30));
                using var http = new HttpClient { BaseAddress = api.BaseAddress };
                await RunnerEnvironmentTests.AssertServesTheTestsAdminKeyOnlyAsync(http);
            }
        }
        finally { File.Delete(keyFile); }
    }
}
