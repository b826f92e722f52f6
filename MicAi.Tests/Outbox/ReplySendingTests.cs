using System.Net;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Outbox;

/// <summary>How a reply goes out: read receipt first, link previews, threading, long texts in ordered parts.</summary>
public sealed class ReplySendingTests
{
    private static async Task<(string From, string Wamid)> AskAsync(OutboxHost host, string text = "michael: anything new?")
    {
        var (from, wamid) = (OutboxHost.NewRecipient(), Webhooks.NewWamid());
        var response = await host.Api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Text(from, wamid, text)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await host.DrainAsync();
        return (from, wamid);
    }

    private static Task SetFallbackAsync(OutboxHost host, string reply) =>
        host.Db.ExecuteAsync("UPDATE agents SET fallback_reply = $1 WHERE is_default", reply);

    [Fact]
    public async Task MarkAsRead_WithTypingIndicator_GoesOutBeforeTheReply()
    {
        await using var host = await OutboxHost.StartAsync();
        var (from, wamid) = await AskAsync(host);

        var requests = host.Graph.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        var read = requests[0].Body;
        Assert.Equal("read", read["status"]!.GetValue<string>());
        Assert.Equal(wamid, read["message_id"]!.GetValue<string>());
        Assert.Equal("text", read["typing_indicator"]!["type"]!.GetValue<string>());
        Assert.Equal(from, requests[1].To);
    }

    [Fact]
    public async Task Reply_IsStillSent_WhenMarkAsReadFails()
    {
        await using var host = await OutboxHost.StartAsync();
        host.Graph.Respond(r => r.Body["status"] is not null ? (500, """{"error":{"message":"boom","code":2,"is_transient":true}}""", null) : null);
        var (from, wamid) = await AskAsync(host);

        Assert.Single(host.Graph.Messages, m => m.To == from);
        Assert.Equal("sent", (await host.RowAsync($"reply:{wamid}")).Status);
        Assert.Equal(0L, await host.Db.ScalarAsync<long>("SELECT count(*) FROM dead_jobs"));
    }

    [Fact]
    public async Task NoReadReceipt_WhenMarkAsReadIsOff()
    {
        await using var host = await OutboxHost.StartAsync(s => s[WhatsAppSettings.Keys.MarkAsRead] = "false");
        await AskAsync(host);
        Assert.DoesNotContain(host.Graph.Requests, r => r.Body["status"] is not null);
        Assert.Single(host.Graph.Messages);
    }

    [Fact]
    public async Task PreviewUrl_IsOn_OnlyWhenTheReplyHasALink()
    {
        await using var host = await OutboxHost.StartAsync();
        await SetFallbackAsync(host, "Track it at https://example.com/t/42");
        await AskAsync(host);
        await SetFallbackAsync(host, "No link here");
        await AskAsync(host);

        var texts = host.Graph.Messages.Select(m => m.Body["text"]!).ToArray();
        Assert.True(texts[0]["preview_url"]!.GetValue<bool>());
        Assert.False(texts[1]["preview_url"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Reply_QuotesNothing_WhenReplyThreadingIsOff()
    {
        await using var host = await OutboxHost.StartAsync(s => s[WhatsAppSettings.Keys.ReplyThreading] = "false");
        await AskAsync(host);
        Assert.Null(Assert.Single(host.Graph.Messages).Body["context"]);
    }

    [Fact]
    public async Task LongReply_IsSentInOrderedParts_EachWithItsOwnKey()
    {
        await using var host = await OutboxHost.StartAsync();
        var words = string.Join(' ', Enumerable.Range(0, 1500).Select(i => $"word{i:D4}")); // 13,499 chars
        await SetFallbackAsync(host, words);
        var (from, wamid) = await AskAsync(host);

        var parts = host.Graph.Messages.Where(m => m.To == from).ToArray();
        Assert.Equal(4, parts.Length);
        Assert.All(parts, p => Assert.InRange(p.TextBody!.Length, 1, 4096));
        Assert.Equal(words, string.Join(' ', parts.Select(p => p.TextBody)));
        Assert.Equal(new[] { $"reply:{wamid}", $"reply:{wamid}#2", $"reply:{wamid}#3", $"reply:{wamid}#4" },
            parts.Select(p => p.Body["biz_opaque_callback_data"]!.GetValue<string>()));
        Assert.Equal(wamid, parts[0].Body["context"]!["message_id"]!.GetValue<string>());
        Assert.All(parts.Skip(1), p => Assert.Null(p.Body["context"]));
        Assert.Equal(4L, await host.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE wa_id = $1 AND status = 'sent'", from));

        // The job again (crash, sweeper): every part is already sent, nothing goes out twice.
        await host.Api.Get<JobStream>().EnqueueAsync([Job.New(JobTypes.Inbound, wamid, DateTimeOffset.UtcNow)]);
        await host.DrainAsync();
        Assert.Equal(4, host.Graph.Messages.Count(m => m.To == from));
    }

    [Fact]
    public async Task LongReply_InterruptedAfterThePartsWereStored_IsFinishedInOrderOnRerun()
    {
        await using var host = await OutboxHost.StartAsync();
        await SetFallbackAsync(host, string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"word{i:D4}")));
        var from = OutboxHost.NewRecipient();
        var wamid = Webhooks.NewWamid();
        // Graph is down for this recipient on the first try: part 1 waits for a retry, parts 2 and 3 stay unsent.
        var down = true;
        host.Graph.Respond(r => r.To == from && down ? OutboxHost.Fixture("graph/error_131000_generic.json") : null);
        await host.Api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Text(from, wamid, "michael: tell me everything")));
        await host.DrainAsync();
        Assert.Equal(("retrying", "pending", "pending"),
            ((await host.RowAsync($"reply:{wamid}")).Status, (await host.RowAsync($"reply:{wamid}#2")).Status, (await host.RowAsync($"reply:{wamid}#3")).Status));

        down = false;
        await host.Api.Get<JobStream>().EnqueueAsync([Job.New(JobTypes.Inbound, wamid, DateTimeOffset.UtcNow)]);
        await host.DrainAsync();

        var sent = host.Graph.Messages.Where(m => m.To == from && m.TextBody is not null).Skip(1).ToArray();
        Assert.Equal(new[] { $"reply:{wamid}", $"reply:{wamid}#2", $"reply:{wamid}#3" },
            sent.Select(p => p.Body["biz_opaque_callback_data"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Reply_IsSentOnce_WhenCopiesOfItsJobRace_AndItsRowIsClaimedWhileGraphIsCalled()
    {
        await using var host = await OutboxHost.StartAsync();
        var handler = host.Api.Get<IEnumerable<IJobHandler>>().Single(h => h.Type == JobTypes.Inbound);
        var messages = Enumerable.Range(0, 12).Select(_ => (From: OutboxHost.NewRecipient(), Wamid: Webhooks.NewWamid())).ToArray();
        foreach (var (from, wamid) in messages)
            Assert.Equal(HttpStatusCode.OK, (await host.Api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Text(from, wamid, "michael: race")))).StatusCode);
        // The ledger row as Graph receives each send: it must already be claimed, with this attempt counted.
        var atCall = new System.Collections.Concurrent.ConcurrentBag<LedgerRow>();
        host.Graph.Respond(r =>
        {
            if (r.TextBody is not null) atCall.Add(host.RowAsync(r.Body["biz_opaque_callback_data"]!.GetValue<string>()).GetAwaiter().GetResult());
            return null;
        });

        // Three copies of every job at once (a reclaim racing the original consumer), then the queued originals.
        await Task.WhenAll(messages.SelectMany(m => Enumerable.Range(0, 3).Select(_ =>
            Task.Run(() => handler.HandleAsync(Job.New(JobTypes.Inbound, m.Wamid, DateTimeOffset.UtcNow), CancellationToken.None)))));
        await host.DrainAsync();

        foreach (var (from, wamid) in messages)
        {
            Assert.Single(host.Graph.Messages, m => m.To == from && m.TextBody is not null);
            var row = await host.RowAsync($"reply:{wamid}");
            Assert.Equal(("sent", 1), (row.Status, row.Attempts));
        }
        Assert.Equal(messages.Length, atCall.Count);
        Assert.All(atCall, r => Assert.Equal(("sending", 1), (r.Status, r.Attempts)));
    }
}
