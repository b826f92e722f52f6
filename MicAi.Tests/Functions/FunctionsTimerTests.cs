using System.Net;
using System.Net.Http.Json;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Functions;

/// <summary>The timer functions, invoked once each as the host would when their schedule fires.</summary>
public sealed class FunctionsTimerTests(FunctionsWorkerFixture fx) : IClassFixture<FunctionsWorkerFixture>
{
    private static readonly TimeSpan SendWait = TimeSpan.FromSeconds(10);

    private async Task InvokeTimerAsync(string function)
    {
        var invocation = await fx.Host.InvokeTimerAsync(function, CancellationToken.None);
        Assert.True(invocation.Succeeded, $"{function} failed: {invocation.Exception}\n{fx.Host.Diagnostics()}");
    }

    private async Task<GraphRequest?> SentToAsync(string waId)
    {
        var until = DateTimeOffset.UtcNow + SendWait;
        while (DateTimeOffset.UtcNow < until)
        {
            if (fx.Graph.Messages.FirstOrDefault(m => m.To == waId) is { } sent) return sent;
            await Task.Delay(50);
        }
        return null;
    }

    [Fact]
    public async Task SignedWebhook_IsAnswered_AfterOneWorkerPoll()
    {
        const string from = "15550007101";
        var (response, invocation) = await fx.Host.InvokeHttpAsync("WebhookPost",
            Webhooks.Post(Webhooks.Text(from, Webhooks.NewWamid(), "michael: hello")), CancellationToken.None);
        Assert.True(invocation.Succeeded, fx.Host.Diagnostics());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(fx.Graph.Messages.FirstOrDefault(m => m.To == from)); // nothing is sent before the worker runs

        await InvokeTimerAsync("WorkerPoll");

        var reply = await SentToAsync(from);
        Assert.True(reply is not null, $"no reply reached the Graph stub\n{fx.Host.Diagnostics()}");
        Assert.Equal("text", reply.Type);
        Assert.False(string.IsNullOrWhiteSpace(reply.TextBody));
        Assert.Equal($"/{WhatsAppSettings.DefaultGraphVersion}/{Webhooks.PhoneNumberId}/messages", reply.Path);
    }

    [Fact]
    public async Task RuleCreatedThroughAdmin_ShapesTheReply()
    {
        var create = new HttpRequestMessage(HttpMethod.Post, "/manage/rules")
        {
            Content = JsonContent.Create(new { rule_type = "keyword", keywords = "pricing", reply_text = "Plans start at 9 EUR a month." }),
        };
        create.Headers.Add("x-admin-key", FunctionsWorkerFixture.AdminKey);
        var (created, invocation) = await fx.Host.InvokeHttpAsync("Admin", create, CancellationToken.None);
        Assert.True(invocation.Succeeded, fx.Host.Diagnostics());
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        const string from = "15550007301";
        await fx.Host.InvokeHttpAsync("WebhookPost", Webhooks.Post(Webhooks.Text(from, Webhooks.NewWamid(), "michael: pricing?")), CancellationToken.None);
        await InvokeTimerAsync("WorkerPoll");

        var reply = await SentToAsync(from);
        Assert.True(reply is not null, $"no reply reached the Graph stub\n{fx.Host.Diagnostics()}");
        Assert.Equal("Plans start at 9 EUR a month.", reply.TextBody);
    }

    [Fact]
    public async Task WorkerPoll_DrainsSeveralBatches_InOneRun()
    {
        // Five inbound messages at two jobs per batch: only a run that keeps reading until the stream is empty answers all.
        var senders = Enumerable.Range(0, 5).Select(i => $"1555000720{i}").ToList();
        foreach (var from in senders)
        {
            var (response, _) = await fx.Host.InvokeHttpAsync("WebhookPost",
                Webhooks.Post(Webhooks.Text(from, Webhooks.NewWamid(), "michael: hello")), CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await InvokeTimerAsync("WorkerPoll");

        foreach (var from in senders)
            Assert.True(await SentToAsync(from) is not null, $"no reply to {from} after one WorkerPoll run\n{fx.Host.Diagnostics()}");
    }

    [Fact]
    public async Task DueSchedule_IsSent_AfterSchedulerThenWorkerPoll()
    {
        const string to = "15550007102";
        // Free-form text goes only to someone who wrote within the 24-hour window (else it is skipped, see WindowGate).
        await fx.Db.ExecuteAsync("INSERT INTO contacts (wa_id, last_inbound_at) VALUES ($1, now())", to);
        await fx.Db.ExecuteAsync("""
            INSERT INTO schedules (wa_id, message_text, interval_minutes, next_run_at)
            VALUES ($1, 'Weekly check-in from MicAi', 60, now() - interval '1 second')
            """, to);

        await InvokeTimerAsync("Scheduler");
        Assert.Equal(1L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE wa_id = $1", to));
        await InvokeTimerAsync("WorkerPoll");

        var sent = await SentToAsync(to);
        Assert.True(sent is not null, $"the scheduled message did not reach the Graph stub\n{fx.Host.Diagnostics()}");
        Assert.Equal("Weekly check-in from MicAi", sent.TextBody);
        Assert.True(await fx.Db.ScalarAsync<DateTime>("SELECT next_run_at FROM schedules WHERE wa_id = $1", to) > DateTime.UtcNow);
    }

    [Fact]
    public async Task WorkerPoll_ReturnsAtOnce_WhenTheQueueIsEmpty()
    {
        // The budget (20 s here) bounds a busy drain; an empty stream must end the run after one read.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var invocation = await fx.Host.InvokeTimerAsync("WorkerPoll", CancellationToken.None);

        Assert.True(invocation.Succeeded, fx.Host.Diagnostics());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"WorkerPoll took {clock.Elapsed} on an empty queue");
        Assert.DoesNotContain(invocation.Logs, l => l.StartsWith("WorkerPoll handled", StringComparison.Ordinal));
    }
}
