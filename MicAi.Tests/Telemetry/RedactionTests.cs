using MicAi.Core.Agents;
using MicAi.Core.Inbox;
using MicAi.Core.Telemetry;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Telemetry;

/// <summary>Phone numbers and message text in logs: redacted unless MICAI_LOG_PERSONAL_DATA turns them on.</summary>
public sealed class RedactionTests
{
    private static TelemetrySettings Settings(bool personalData) => new(null, null, personalData, LogFormat.Json);

    private static async Task<string> ResponderLineAsync(bool personalData)
    {
        var captured = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(captured).SetMinimumLevel(LogLevel.Debug));
        var responder = new Responder([], llm: null!, uploads: null!, new PersonalData(Settings(personalData)), factory.CreateLogger<Responder>());
        var agent = new AgentProfile(1, "default", "", "Sorry, {name}.", LlmEnabled: false, [], CompiledRules.Empty);
        var context = new InboundContext("wamid.R1", "15550002222", "my secret plan", InboundStatus.Received, "pn", false, "Ana", agent);

        await responder.ReplyAsync(context, "my secret plan", CancellationToken.None);
        return Assert.Single(captured.Messages, m => m.StartsWith("Debug 8300:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResponderLog_RedactsPhoneAndText_ByDefault()
    {
        var line = await ResponderLineAsync(personalData: false);

        Assert.Contains("wamid.R1", line);
        Assert.Contains("***2222", line);
        Assert.Contains("[14 chars redacted]", line);
        Assert.DoesNotContain("15550002222", line);
        Assert.DoesNotContain("secret", line);
        Assert.DoesNotContain("Sorry, Ana.", line);
    }

    [Fact]
    public async Task ResponderLog_ShowsPhoneAndText_WhenPersonalDataIsOn()
    {
        var line = await ResponderLineAsync(personalData: true);

        Assert.Contains("15550002222", line);
        Assert.Contains("my secret plan", line);
        Assert.Contains("Sorry, Ana.", line);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("123", "***")]
    [InlineData("15550002222", "***2222")]
    public void Phone_KeepsOnlyTheLastFourCharacters(string? number, string shown) =>
        Assert.Equal(shown, new PersonalData(Settings(false)).Phone(number));

    [Fact]
    public void PersonalDataSetting_IsOffByDefault_AndOnWhenSet()
    {
        Assert.False(TelemetrySettingsFrom(new()).LogPersonalData);
        Assert.True(TelemetrySettingsFrom(new() { [TelemetrySettings.Keys.LogPersonalData] = "true" }).LogPersonalData);
    }

    private static TelemetrySettings TelemetrySettingsFrom(Dictionary<string, string> env) =>
        Core.MicAiSettings.Load(key => env.GetValueOrDefault(key), new Core.Configuration.SecretSource("/nonexistent-micai-secrets")).Telemetry;
}
