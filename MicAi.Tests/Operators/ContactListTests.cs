using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Admin;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Operators;

/// <summary>The contact list a conversation console needs in one call: newest message, window, handover, filters.</summary>
public sealed class ContactListTests
{
    [Fact]
    public async Task ContactList_CarriesNewestMessageWindowAndHandover_AndFiltersByHandoverAndAwaitingReply()
    {
        await using var h = await PlatformHarness.StartAsync();
        var answered = PlatformHarness.NewContact();
        var waiting = PlatformHarness.NewContact();
        await h.SayAsync(answered, "michael: hi");
        await h.SayAsync(waiting, "michael: hi");
        await h.HandoverAsync(waiting, new { active = true });
        await h.SayAsync(waiting, "michael: is a person there?");

        var recent = (await h.Admin().GetFromJsonAsync<JsonObject>("/admin/contacts?order=recent"))!["items"]!.AsArray();
        Assert.Equal([waiting, answered], recent.Select(c => c!["wa_id"]!.GetValue<string>()));
        var first = recent[0]!;
        Assert.Equal("inbound", first["last_message"]!["direction"]!.GetValue<string>());
        Assert.Equal("michael: is a person there?", first["last_message"]!["text"]!.GetValue<string>());
        Assert.True(first["awaiting_reply"]!.GetValue<bool>());
        Assert.True(first["window_open"]!.GetValue<bool>());
        Assert.True(first["handover"]!["active"]!.GetValue<bool>());
        var second = recent[1]!;
        Assert.Equal(("outbound", "fallback"), (second["last_message"]!["direction"]!.GetValue<string>(), second["last_message"]!["author"]!.GetValue<string>()));
        Assert.False(second["awaiting_reply"]!.GetValue<bool>());
        Assert.False(second["handover"]!["active"]!.GetValue<bool>());

        var handedOver = (await h.Admin().GetFromJsonAsync<JsonObject>("/admin/contacts?handover=true"))!["items"]!.AsArray();
        Assert.Equal([waiting], handedOver.Select(c => c!["wa_id"]!.GetValue<string>()));
        var notAwaiting = (await h.Admin().GetFromJsonAsync<JsonObject>("/admin/contacts?awaiting_reply=false"))!["items"]!.AsArray();
        Assert.Equal([answered], notAwaiting.Select(c => c!["wa_id"]!.GetValue<string>()));
        h.Time.Advance(TimeSpan.FromHours(25));
        Assert.False((await h.Admin().GetFromJsonAsync<JsonObject>($"/admin/contacts/{answered}"))!["window_open"]!.GetValue<bool>());
        await ProblemAssert.FieldErrorAsync(await h.Admin().GetAsync("/admin/contacts?order=sideways"), "order");
    }
}
