using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MicAi.Tests.Platform;

/// <summary>The whole operator story through the admin API only, answered over signed webhooks.</summary>
public sealed class OperatorStoryTests
{
    [Fact]
    public async Task OperatorStory_AgentRulesBinding_WeatherReminderLlmAndStop_ReachGraphAsExpected()
    {
        await using var h = await PlatformHarness.StartAsync();
        var admin = h.Admin();
        var from = PlatformHarness.NewContact();

        // Operator: an agent with a persona, a rule, a contact in Lisbon bound to it.
        var agentId = await h.CreateBoundAgentAsync(from, new
        {
            name = "michael", persona = "You are Michael, a cheerful concierge.", fallback_reply = "Sorry {name}, I can't help with that.",
            allowed_tools = new[] { "weather", "remind" }, llm_enabled = true,
        });
        var rule = await admin.PostAsJsonAsync("/admin/rules", new
        {
            agent_id = agentId, rule_type = "keyword", keywords = "hours, opening", reply_text = "We are open 9 to 17, {name}.",
        });
        Assert.Equal(HttpStatusCode.OK, rule.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/admin/contacts/{from}", new { time_zone = "Europe/Lisbon" })).StatusCode);

        // User: a rule, the weather tool, the remind tool, the LLM.
        await h.SayAsync(from, "michael: what are your opening hours?");
        await h.SayAsync(from, "michael: weather in Lisbon");
        await h.SayAsync(from, "michael: remind me in 1 minute to stretch");
        await h.SayAsync(from, "michael: what can you do?");

        var lisbonNow = TimeZoneInfo.ConvertTime(h.Time.GetUtcNow().AddMinutes(1), TimeZoneInfo.FindSystemTimeZoneById("Europe/Lisbon"));
        Assert.Equal(new[]
        {
            "We are open 9 to 17, Ana Souza.",
            "Lisbon, Portugal: 19°C, partly cloudy, wind 12 km/h. Today 14–21°C.",
            $"Okay! I'll remind you at {lisbonNow:HH:mm} to stretch.",
            "Hi! I can tell you the weather and set reminders.",
        }, h.TextsTo(from));

        // The LLM saw the persona, the history and the question; a typing indicator went out while it worked.
        var chat = JsonNode.Parse(Assert.Single(h.Llm.Requests).Body)!;
        Assert.Equal("Bearer test-llm-key", h.Llm.Requests.Single().Authorization);
        Assert.Equal("/v1/chat/completions", h.Llm.Requests.Single().Path);
        Assert.Equal("stub-model", chat["model"]!.GetValue<string>());
        var messages = chat["messages"]!.AsArray();
        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.StartsWith("You are Michael, a cheerful concierge.", messages[0]!["content"]!.ToJsonString().Contains("\"text\"")
            ? messages[0]!["content"]![0]!["text"]!.GetValue<string>() : messages[0]!["content"]!.GetValue<string>());
        Assert.Equal(1 + 3 * 2 + 1, messages.Count); // system, three earlier turns, the question
        Assert.Contains(h.Graph.Requests, r => r.Body["typing_indicator"] is not null && r.To is null);

        // The reminder fires when its minute comes.
        Assert.Equal(0, await h.AdvanceAndTickAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, await h.AdvanceAndTickAsync(TimeSpan.FromSeconds(31)));
        Assert.Equal("⏰ Reminder: stretch", h.TextsTo(from)[^1]);

        // Another reminder, then STOP (no invoke prefix needed): one confirmation, then silence.
        await h.SayAsync(from, "michael: remind me in 5 minutes to drink water");
        await h.SayAsync(from, "STOP");
        var sentBeforeSilence = h.TextsTo(from).Length;
        Assert.StartsWith("You have been unsubscribed", h.TextsTo(from)[^1]);
        await h.SayAsync(from, "michael: weather in Lisbon");
        await h.SayAsync(from, "STOP");
        Assert.Equal(1, await h.AdvanceAndTickAsync(TimeSpan.FromMinutes(6)));
        Assert.Equal(sentBeforeSilence, h.TextsTo(from).Length);

        // The operator sees it all through the admin API.
        var contact = await admin.GetFromJsonAsync<JsonObject>($"/admin/contacts/{from}");
        Assert.True(contact!["opted_out"]!.GetValue<bool>());
        var skipped = await admin.GetFromJsonAsync<JsonObject>($"/admin/outbound/messages?wa_id={from}&status=skipped");
        Assert.Equal("⏰ Reminder: drink water", Assert.Single(skipped!["items"]!.AsArray())!["body"]!.GetValue<string>());
        var turns = await admin.GetFromJsonAsync<JsonObject>($"/admin/contacts/{from}/turns?limit=3");
        Assert.Equal(new[] { "opt_out", "tool:remind", "llm" }, turns!["items"]!.AsArray().Select(t => t!["responder"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Start_OptsBackIn_AndAnswersAgain()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "Stop.");
        await h.SayAsync(from, "michael: hello?");
        await h.SayAsync(from, "start");
        await h.SayAsync(from, "michael: hello again");

        var texts = h.TextsTo(from);
        Assert.Equal(3, texts.Length);
        Assert.StartsWith("You have been unsubscribed", texts[0]);
        Assert.StartsWith("Welcome back!", texts[1]);
        Assert.Equal("I heard: hello again. I can help with weather or reminders. Say \"help\" to see what I can do.", texts[2]);
    }
}
