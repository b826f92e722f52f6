using System.Net.Http.Json;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Agents;

/// <summary>Tools through the whole pipeline: allow-listing, rule-triggered tools, weather failures and cache, reminders.</summary>
public sealed class ToolTests
{
    [Fact]
    public async Task Tool_NotAllowedForTheAgent_YieldsFallbackReply_EvenWithLlmOn()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.CreateBoundAgentAsync(from, new { name = "no-tools", fallback_reply = "No tools here.", allowed_tools = new[] { "remind" }, llm_enabled = true });

        await h.SayAsync(from, "michael: weather in Lisbon");

        Assert.Equal(new[] { "No tools here." }, h.TextsTo(from));
        Assert.Empty(h.Weather.Requests);
        Assert.Empty(h.Llm.Requests);
    }

    [Fact]
    public async Task RuleWithToolAction_RunsTheTool()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        var agentId = await h.CreateBoundAgentAsync(from, new { name = "forecaster", allowed_tools = new[] { "weather" } });
        await h.Admin().PostAsJsonAsync("/admin/rules", new { agent_id = agentId, rule_type = "prefix", prefix = "forecast", action = "tool", tool = "weather" });

        await h.SayAsync(from, "michael: forecast");          // the rule matched, but no place: the tool explains itself
        await h.SayAsync(from, "michael: weather for lisbon?");

        Assert.Equal(new[] { "Ask me like this: \"weather in Lisbon\".", "Lisbon, Portugal: 19°C, partly cloudy, wind 12 km/h. Today 14–21°C." }, h.TextsTo(from));
        Assert.Equal("tool:weather", await h.Db.ScalarAsync<string>("SELECT responder FROM conversation_turns WHERE wa_id = $1 ORDER BY id LIMIT 1", from));
    }

    [Fact]
    public async Task Weather_AnswersFriendly_WhenTheApiFails_AndCachesSuccesses()
    {
        await using var h = await PlatformHarness.StartAsync(s => s["MICAI_WEATHER_TIMEOUT_SECONDS"] = "1");
        var from = PlatformHarness.NewContact();
        await h.CreateBoundAgentAsync(from, new { name = "w", allowed_tools = new[] { "weather" } });

        h.Weather.Script = _ => (503, "{}", TimeSpan.Zero);
        await h.SayAsync(from, "michael: weather in Lisbon");
        h.Weather.Script = _ => (200, "{}", TimeSpan.FromSeconds(3));
        await h.SayAsync(from, "michael: weather in Lisbon");
        h.Weather.Script = StubScripts.OpenMeteo;
        await h.SayAsync(from, "michael: weather in Atlantis");
        await h.SayAsync(from, "michael: weather in Lisbon");
        var calls = h.Weather.Requests.Count;
        await h.SayAsync(from, "michael: Weather in LISBON");

        Assert.Equal(new[]
        {
            "Sorry, I can't get the weather right now. Please try again later.",
            "Sorry, I can't get the weather right now. Please try again later.",
            "I couldn't find a place called \"Atlantis\".",
            "Lisbon, Portugal: 19°C, partly cloudy, wind 12 km/h. Today 14–21°C.",
            "Lisbon, Portugal: 19°C, partly cloudy, wind 12 km/h. Today 14–21°C.",
        }, h.TextsTo(from));
        Assert.Equal(calls, h.Weather.Requests.Count); // the second Lisbon came from the cache
    }

    [Fact]
    public async Task Reminders_ListAndCancel_InTheContactsTimeZone()
    {
        await using var h = await PlatformHarness.StartAsync(s => s["MICAI_DEFAULT_TIME_ZONE"] = "America/New_York");
        var from = PlatformHarness.NewContact();
        await h.CreateBoundAgentAsync(from, new { name = "r", allowed_tools = new[] { "remind" } });

        await h.SayAsync(from, "michael: remind me tomorrow at 9 to call mom");
        await h.SayAsync(from, "michael: remind me in 2 hours to take the cake out");
        await h.SayAsync(from, "michael: my reminders");
        await h.SayAsync(from, "michael: cancel reminder 1");
        await h.SayAsync(from, "michael: cancel reminder 5");
        await h.SayAsync(from, "michael: my reminders");

        var texts = h.TextsTo(from);
        Assert.Equal("Okay! I'll remind you tomorrow at 09:00 to call mom.", texts[0]);
        Assert.StartsWith("Your reminders:\n1. ", texts[2]);
        Assert.EndsWith(": take the cake out\n2. tomorrow at 09:00: call mom", texts[2]);
        Assert.Equal("Cancelled reminder 1: take the cake out.", texts[3]);
        Assert.Equal("There is no reminder 5. Send \"my reminders\" to see them.", texts[4]);
        Assert.Equal("Your reminders:\n1. tomorrow at 09:00: call mom", texts[5]);

        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var due = await h.Db.ScalarAsync<DateTime>("SELECT next_run_at FROM schedules WHERE wa_id = $1 AND origin = 'remind'", from);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(due, DateTimeKind.Utc), zone);
        Assert.Equal((9, 0), (local.Hour, local.Minute));
        Assert.Equal(TimeZoneInfo.ConvertTime(h.Time.GetUtcNow(), zone).Date.AddDays(1), local.Date);
    }
}

public sealed class ToolPhraseTests
{
    private static readonly MicAi.Core.Agents.Tools.WeatherTool Weather =
        new(null!, null!, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<MicAi.Core.Agents.Tools.WeatherTool>.Instance);

    [Theory]
    [InlineData("weather in Lisbon", true)]
    [InlineData("What's the weather like in New York?", true)]
    [InlineData("weather for porto", true)]
    [InlineData("weather is nice today", false)]
    [InlineData("the weather in Lisbon", false)]
    [InlineData("weather", false)]
    public void Weather_DetectsOnlyAPlaceQuestion(string text, bool detected) => Assert.Equal(detected, Weather.Detects(text));
}
