using MicAi.Tests.Infrastructure;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Agents;

/// <summary>LLM replies: off unless the agent enables them; the fallback reply whenever the model does not answer.</summary>
public sealed class LlmReplyTests
{
    private static readonly object LlmAgent = new
    {
        name = "chatty", persona = "You are terse.", fallback_reply = "Fallback for {name}.", llm_enabled = true,
    };

    [Fact]
    public async Task Llm_YieldsFallbackReply_WhenTheModelTimesOut()
    {
        await using var h = await PlatformHarness.StartAsync(s => s["MICAI_LLM_TIMEOUT_SECONDS"] = "1");
        h.Llm.Script = _ => StubScripts.ChatCompletion("too late", TimeSpan.FromSeconds(5));
        var from = PlatformHarness.NewContact();
        await h.CreateBoundAgentAsync(from, LlmAgent);

        var started = DateTime.UtcNow;
        await h.SayAsync(from, "michael: tell me a story");

        Assert.Equal(new[] { "Fallback for Ana Souza." }, h.TextsTo(from));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "the timeout must cut the call short");
        Assert.Single(h.Llm.Requests); // no client-side retries
    }

    [Fact]
    public async Task Llm_YieldsFallbackReply_WhenTheModelAnswers500()
    {
        await using var h = await PlatformHarness.StartAsync();
        h.Llm.Script = _ => StubScripts.ServerError;
        var from = PlatformHarness.NewContact();
        await h.CreateBoundAgentAsync(from, LlmAgent);

        await h.SayAsync(from, "michael: tell me a story");

        Assert.Equal(new[] { "Fallback for Ana Souza." }, h.TextsTo(from));
        Assert.Single(h.Llm.Requests);
        Assert.Equal("fallback", await h.Db.ScalarAsync<string>("SELECT responder FROM conversation_turns WHERE wa_id = $1", from));
    }

    [Fact]
    public async Task Llm_StopsAtTheDailyLimitPerContact_AndResumesNextDay()
    {
        await using var h = await PlatformHarness.StartAsync(s => s["MICAI_LLM_DAILY_LIMIT_PER_CONTACT"] = "2");
        var from = PlatformHarness.NewContact();
        await h.CreateBoundAgentAsync(from, LlmAgent);

        for (var i = 0; i < 3; i++) await h.SayAsync(from, $"michael: question {i}");
        Assert.Equal(2, h.Llm.Requests.Count);
        Assert.Equal("Fallback for Ana Souza.", h.TextsTo(from)[^1]);

        h.Time.Advance(TimeSpan.FromDays(1));
        await h.SayAsync(from, "michael: a new day");
        Assert.Equal(3, h.Llm.Requests.Count);
        Assert.Equal("Hi! I can tell you the weather and set reminders.", h.TextsTo(from)[^1]);
    }

    [Fact]
    public async Task Llm_ReplyHoldingUPlus0000_IsSentAndStoredWithoutIt()
    {
        await using var h = await PlatformHarness.StartAsync();
        h.Llm.Script = _ => StubScripts.ChatCompletion("sun\u0000ny", TimeSpan.Zero);
        var from = PlatformHarness.NewContact();
        await h.CreateBoundAgentAsync(from, LlmAgent);

        await h.SayAsync(from, "michael: weather?");

        Assert.Equal(new[] { "sunny" }, h.TextsTo(from));
        Assert.Equal("llm", await h.Db.ScalarAsync<string>("SELECT responder FROM conversation_turns WHERE wa_id = $1", from));
    }

    [Fact]
    public async Task Llm_IsNotCalled_WhenTheAgentHasItOff()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.CreateBoundAgentAsync(from, new { name = "quiet", fallback_reply = "Quiet fallback." });

        await h.SayAsync(from, "michael: anything");

        Assert.Empty(h.Llm.Requests);
        Assert.Equal(new[] { "Quiet fallback." }, h.TextsTo(from));
    }
}
