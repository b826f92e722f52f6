using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Admin;
using MicAi.Tests.Infrastructure;
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

    /// <summary>
    /// More messages than one chunk of the recent-first walk in each table (ContactStoreRecent.cs), written straight to
    /// the tables at distinct times: every page is the contacts in the order of their newest message, a filtered page
    /// too, and a page that runs past every contact with a message ends with the ones without any, oldest first.
    /// </summary>
    [Fact]
    public async Task RecentFirst_OverMoreMessagesThanOneChunkOfTheWalk_PagesByEachContactsNewestMessage_ThenContactsWithoutMessages()
    {
        await using var h = await PlatformHarness.StartAsync();
        var random = new Random(3);
        var talking = Enumerable.Range(0, 1200).Select(i => $"4915{i:D8}").ToArray();
        var silent = Enumerable.Range(0, 30).Select(i => $"4916{i:D8}").ToArray();
        // Each contact one or two inbound messages and, for three in four, a reply; every message at its own second.
        var messages = talking.SelectMany(c => Enumerable.Repeat((Contact: c, Inbound: true), 1 + random.Next(2))
            .Concat(random.Next(4) > 0 ? [(c, false)] : [])).OrderBy(_ => random.Next()).ToArray();
        var epoch = DateTimeOffset.UtcNow.AddDays(-2);
        var at = messages.Select((_, k) => epoch.AddSeconds(k)).ToArray();
        var inbound = Enumerable.Range(0, messages.Length).Where(k => messages[k].Inbound).ToArray();
        var outbound = Enumerable.Range(0, messages.Length).Where(k => !messages[k].Inbound).ToArray();
        await h.Db.ExecuteAsync("""
            INSERT INTO contacts (wa_id, created_at) SELECT wa_id, $2 + make_interval(secs => n) FROM unnest($1::text[]) WITH ORDINALITY AS u(wa_id, n)
            """, talking.Concat(silent).ToArray(), epoch);
        await h.Db.ExecuteAsync("""
            INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, status, received_at)
            SELECT 'wamid.recent.' || k, wa_id, 'text', 'hi', '{}', 'processed', t FROM unnest($1::text[], $2::timestamptz[], $3::int[]) AS u(wa_id, t, k)
            """, inbound.Select(k => messages[k].Contact).ToArray(), inbound.Select(k => at[k]).ToArray(), inbound);
        await h.Db.ExecuteAsync("""
            INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, created_at, updated_at)
            SELECT 'recent:' || k, wa_id, 'text', 'hello', 'sent', t, t FROM unnest($1::text[], $2::timestamptz[], $3::int[]) AS u(wa_id, t, k)
            """, outbound.Select(k => messages[k].Contact).ToArray(), outbound.Select(k => at[k]).ToArray(), outbound);
        DateTimeOffset Newest(string c, bool? inboundOnly = null) => Enumerable.Range(0, messages.Length)
            .Where(k => messages[k].Contact == c && (inboundOnly is null || messages[k].Inbound == inboundOnly)).Select(k => at[k]).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var expected = talking.OrderByDescending(c => Newest(c)).Concat(silent).ToArray();
        async Task<string[]> PageAsync(string query) => [.. (await h.Admin().GetFromJsonAsync<JsonObject>("/admin/contacts?order=recent&" + query))!["items"]!
            .AsArray().Select(c => c!["wa_id"]!.GetValue<string>())];

        Assert.Equal(expected[..50], await PageAsync("limit=50"));
        Assert.Equal(expected[480..540], await PageAsync("limit=60&offset=480"));
        Assert.Equal(expected[1180..1210], await PageAsync("limit=30&offset=1180")); // the last 20 with a message, then 10 without
        var awaiting = talking.Where(c => Newest(c, inboundOnly: true) > Newest(c, inboundOnly: false)).OrderByDescending(c => Newest(c)).ToArray();
        Assert.Equal(awaiting[..40], await PageAsync("limit=40&awaiting_reply=true"));
    }
}
