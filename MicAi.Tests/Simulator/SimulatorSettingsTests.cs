using MicAi.Core;
using MicAi.Core.WhatsApp;
using System.Net;
using MicAi.Core.Configuration;
using MicAi.Core.Simulator;
using MicAi.Tests.Configuration;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Simulator;

/// <summary>MICAI_SIMULATOR: off by default, on only outside prod, and nothing under /simulator when off.</summary>
public sealed class SimulatorSettingsTests
{
    private static readonly SecretSource NoSecrets = new(Path.Combine(Path.GetTempPath(), "micai-no-secrets"));

    private static SimulatorSettings Load(params (string Key, string Value)[] variables) =>
        MicAiSettings.Load(key => variables.FirstOrDefault(v => v.Key == key).Value, NoSecrets).Simulator;

    [Fact]
    public void Simulator_IsOff_WhenNotSet() => Assert.False(Load().Enabled);

    [Theory]
    [InlineData("dev")]
    [InlineData("test")]
    public void Simulator_IsOn_WhenSetOutsideProd(string environment) =>
        Assert.True(Load((SimulatorSettings.Keys.Enabled, "true"), (AppSettings.Keys.AppEnv, environment)).Enabled);

    [Fact]
    public void Settings_RefuseTheSimulator_InProd()
    {
        var ex = Assert.Throws<InvalidSettingsException>(() => Load((SimulatorSettings.Keys.Enabled, "true"), (AppSettings.Keys.AppEnv, "prod")));

        Assert.Contains(ex.Problems, p => p.Contains("MICAI_SIMULATOR=true is for development and tests only"));
    }

    [Fact]
    public async Task Host_RefusesToStart_WithTheSimulatorOnInProd_NamingTheSetting()
    {
        var env = ProdRefusalTests.CompleteProd().ToDictionary(p => p.Key, p => (string?)p.Value);
        env[SimulatorSettings.Keys.Enabled] = "true";

        await using var host = HostProcess.Start(["api"], env, HostProcess.FreePort());
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(3, exitCode); // Program: invalid settings
        Assert.Contains("MICAI_SIMULATOR=true is for development and tests only", host.Output);
        Assert.DoesNotContain(env[WhatsAppSettings.Keys.AppSecret]!, host.Output);
    }

    [Fact]
    public async Task SimulatorRoutes_Return404_WhenTheSimulatorIsOff()
    {
        await using var api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"));
        using var http = api.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/simulator")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/simulator/assets/simulator.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync($"/simulator/graph/v24.0/{Webhooks.PhoneNumberId}/messages", null)).StatusCode);
    }
}
