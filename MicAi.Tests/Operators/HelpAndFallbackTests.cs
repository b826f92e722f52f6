using System.Net.Http.Json;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Operators;

/// <summary>The first replies a new operator sees are useful: the default fallback says what the bot can do, and "help" lists it.</summary>
public sealed class HelpAndFallbackTests
{
    [Fact]
    public async Task DefaultAgent_FallbackSaysWhatItCanDo_AndHelpListsItsToolsAndHowToReachAPerson()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();

        await h.SayAsync(from, "michael: blorp");
        await h.SayAsync(from, "michael: help");

        var texts = h.TextsTo(from);
        Assert.Equal("I heard: blorp. I can help with weather or reminders. Say \"help\" to see what I can do.", texts[0]);
        Assert.Contains("weather in Lisbon", texts[1]);
        Assert.Contains("remind me in 10 minutes", texts[1]);
        Assert.Contains("say \"agent\"", texts[1]);
    }

    [Fact]
    public async Task Help_ListsTheBoundAgentsRuleKeywords_AndARuleForHelpWinsOverIt()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        var agentId = await h.CreateBoundAgentAsync(from, new { name = "shop", handover_keywords = new[] { "operator" } });
        await h.Admin().PostAsJsonAsync("/admin/rules", new { agent_id = agentId, rule_type = "keyword", keywords = "hours, opening", reply_text = "9 to 17" });
        await h.Admin().PostAsJsonAsync("/admin/rules", new { agent_id = agentId, rule_type = "prefix", prefix = "order", reply_text = "noted" });

        await h.SayAsync(from, "michael: help");
        Assert.Contains("ask about: hours, opening, order …", h.TextsTo(from)[^1]);
        Assert.Contains("say \"operator\"", h.TextsTo(from)[^1]);

        await h.Admin().PostAsJsonAsync("/admin/rules", new { agent_id = agentId, rule_type = "keyword", keywords = "help", reply_text = "Call us!", priority = 1 });
        await h.SayAsync(from, "michael: help");
        Assert.Equal("Call us!", h.TextsTo(from)[^1]);
    }
}
