using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Admin;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Operators;

/// <summary>GET /admin/contacts/{wa_id}/messages: every message, newest first, delivery statuses, keyset paging.</summary>
public sealed class TimelineTests
{
    [Fact]
    public async Task Timeline_ShowsEveryInboundAndOutbound_NewestFirst_WithAuthorsStatusesAndTheMessageAnswered()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: help");
        await h.SayAsync(from, "no prefix, so ignored");
        await h.SendAsync(from, new { text = "Marta here" }, "t-1");
        await h.DrainAsync();
        var helpKey = await h.Db.ScalarAsync<string>("SELECT idempotency_key FROM outbound_messages WHERE wa_id = $1 AND author = 'help'", from);
        await h.DeliverStatusAsync(helpKey, "delivered");
        await h.DeliverStatusAsync(helpKey, "read");
        await h.DeliverStatusAsync($"operator:{from}:t-1", "failed", 131026, "Message undeliverable");

        var items = (await h.TimelineAsync(from))["items"]!.AsArray().Select(i => i!.AsObject()).ToArray();

        Assert.Equal(["outbound", "inbound", "outbound", "inbound"], items.Select(i => i["direction"]!.GetValue<string>()));
        var operatorSend = items[0];
        Assert.Equal("operator", operatorSend["author"]!.GetValue<string>());
        Assert.Equal("failed", operatorSend["status"]!.GetValue<string>());
        Assert.Equal(131026, operatorSend["error_code"]!.GetValue<int>());
        Assert.Equal("Message undeliverable", operatorSend["error_title"]!.GetValue<string>());
        Assert.NotNull(operatorSend["failed_at"]);
        var ignored = items[1];
        Assert.Equal("ignored", ignored["status"]!.GetValue<string>());
        Assert.Equal("not addressed to the bot", ignored["reason"]!.GetValue<string>());
        var help = items[2];
        Assert.Equal("help", help["author"]!.GetValue<string>());
        Assert.Equal("read", help["status"]!.GetValue<string>());
        Assert.NotNull(help["delivered_at"]);
        Assert.NotNull(help["read_at"]);
        Assert.Equal(items[3]["id"]!.GetValue<string>(), help["in_reply_to"]!.GetValue<string>());
        Assert.Equal("processed", items[3]["status"]!.GetValue<string>());
        Assert.Equal("help", items[3]["answered_by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Timeline_PagesWithoutDuplicatesOrGaps_WhenMessagesArriveBetweenPages()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        for (var i = 0; i < 5; i++) await h.SayAsync(from, $"michael: message {i}");

        var seen = new List<string>();
        var page = await h.TimelineAsync(from, "?limit=3");
        seen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        await h.SayAsync(from, "michael: a new one while paging");
        while (page["next_before"]?.GetValue<string>() is { } cursor)
        {
            page = await h.TimelineAsync(from, $"?limit=3&before={Uri.EscapeDataString(cursor)}");
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        }

        Assert.Equal(10, seen.Count); // five messages and five answers, each once; the new pair is on no later page
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var all = (await h.TimelineAsync(from, "?limit=200"))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();
        Assert.Equal(all.Skip(2), seen);
    }

    [Fact]
    public async Task Timeline_RefusesUnknownContact404_AndAForgedCursor400()
    {
        await using var h = await PlatformHarness.StartAsync();
        await ProblemAssert.StatusAsync(await h.Admin().GetAsync("/admin/contacts/3519000002/messages"), 404);
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        await ProblemAssert.FieldErrorAsync(await h.Admin().GetAsync($"/admin/contacts/{from}/messages?before=not-a-cursor"), "before");
        await ProblemAssert.FieldErrorAsync(await h.Admin().GetAsync($"/admin/contacts/{from}/messages?limit=0"), "limit");
    }
}
