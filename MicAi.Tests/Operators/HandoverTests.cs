using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Admin;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Operators;

/// <summary>Handover to a person: keywords, the admin toggle, time running out, Business app echoes.</summary>
public sealed class HandoverTests
{
    [Fact]
    public async Task HandoverKeyword_WithoutPrefix_SendsHandoverText_ThenBotStaysQuiet_AndContactWaitsInAttention()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();

        await h.SayAsync(from, "Human!");
        await h.SayAsync(from, "michael: hello, anyone?");

        Assert.Equal(["Thanks, a person from our team will answer you here shortly."], h.TextsTo(from));
        Assert.Equal("handover active: a person is answering",
            await h.Db.ScalarAsync<string>("SELECT error FROM inbound_messages WHERE wa_id = $1 AND text = 'michael: hello, anyone?'", from));
        var attention = await h.AttentionAsync();
        var waiting = Assert.Single(attention["handovers_waiting"]!.AsArray(), w => w!["wa_id"]!.GetValue<string>() == from)!;
        Assert.Equal("customer", waiting["reason"]!.GetValue<string>());
        var state = await h.Admin().GetFromJsonAsync<JsonObject>($"/admin/contacts/{from}/handover");
        Assert.True(state!["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task HandoverPut_MakesBotQuiet_AndItResumesByItself_WhenTheMinutesAreUp()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");

        var state = await h.HandoverAsync(from, new { active = true, minutes = 30 });
        Assert.True(state["active"]!.GetValue<bool>());
        Assert.Equal("operator", state["reason"]!.GetValue<string>());
        Assert.Equal(h.Time.GetUtcNow().AddMinutes(30), state["until"]!.GetValue<DateTimeOffset>(), TimeSpan.FromSeconds(1));
        await h.SayAsync(from, "michael: still there?");
        Assert.Single(h.TextsTo(from));

        h.Time.Advance(TimeSpan.FromMinutes(31));
        await h.SayAsync(from, "michael: and now?");
        Assert.Equal(2, h.TextsTo(from).Length);
        Assert.False((await h.Admin().GetFromJsonAsync<JsonObject>($"/admin/contacts/{from}/handover"))!["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task HandoverRelease_Returns200WithInactiveState_AndTheBotAnswersAgain()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        await h.HandoverAsync(from, new { active = true });
        await h.SayAsync(from, "michael: quiet?");
        Assert.Single(h.TextsTo(from));

        var released = await h.HandoverAsync(from, new { active = false });

        Assert.False(released["active"]!.GetValue<bool>());
        await h.SayAsync(from, "michael: back?");
        Assert.Equal(2, h.TextsTo(from).Length);
    }

    [Fact]
    public async Task Handover_RefusesUnknownContact404_AndBadBody400()
    {
        await using var h = await PlatformHarness.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await h.Admin().PutAsJsonAsync("/admin/contacts/3519000000/handover", new { active = true })).StatusCode);
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        await ProblemAssert.FieldErrorAsync(await h.Admin().PutAsJsonAsync($"/admin/contacts/{from}/handover", new { minutes = 5 }), "active");
        await ProblemAssert.FieldErrorAsync(await h.Admin().PutAsJsonAsync($"/admin/contacts/{from}/handover", new { active = true, minutes = 0 }), "minutes");
    }

    [Fact]
    public async Task BusinessAppEcho_HandsTheContactOver_AndShowsInTheTimelineOnce_WhenRedelivered()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: is my order on its way?");
        var echo = Webhooks.Echo(from, Webhooks.NewWamid(), "Hi, Marta here: it ships today.");

        await h.PostAsync(echo);
        await h.PostAsync(echo); // Meta redelivers
        await h.SayAsync(from, "michael: thanks!");

        Assert.Single(h.TextsTo(from)); // only the bot's first answer: the person took over
        var timeline = await h.TimelineAsync(from);
        Assert.Equal(
            ["inbound:-:michael: thanks!", "outbound:business_app:Hi, Marta here: it ships today.", "outbound:fallback:" + h.TextsTo(from)[0],
             "inbound:-:michael: is my order on its way?"],
            OperatorHarness.Texts(timeline));
        var state = await h.Admin().GetFromJsonAsync<JsonObject>($"/admin/contacts/{from}/handover");
        Assert.Equal("business_app", state!["reason"]!.GetValue<string>());
    }
}
