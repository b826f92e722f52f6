using System.Net;
using MicAi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MicAi.Tests.Functions;

/// <summary>A worker whose WorkerPoll may drain for one second only.</summary>
public sealed class ShortBudgetWorkerFixture(IMessageSink diagnostics) : FunctionsWorkerFixture(diagnostics)
{
    protected override int PollBudgetSeconds => 1;
}

public sealed class WorkerPollBudgetTests(ShortBudgetWorkerFixture fx) : IClassFixture<ShortBudgetWorkerFixture>
{
    private static readonly TimeSpan SlowSend = TimeSpan.FromMilliseconds(700);

    [Fact]
    public async Task WorkerPoll_StopsBetweenBatches_WhenTheBudgetRunsOut_AndNeverCutsASend()
    {
        // Every send takes 0.7 s at the stub; batches of two, four side by side: eight sends a wave, and 24 messages
        // need three waves (≥ 2.1 s).
        fx.Graph.Respond(request =>
        {
            if (request.Type is not null) Thread.Sleep(SlowSend);
            return null;
        });
        var senders = Enumerable.Range(0, 24).Select(i => $"155500074{i:00}").ToList();
        foreach (var from in senders)
        {
            var (response, _) = await fx.Host.InvokeHttpAsync("WebhookPost",
                Webhooks.Post(Webhooks.Text(from, Webhooks.NewWamid(), "michael: hello")), CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var first = await fx.Host.InvokeTimerAsync("WorkerPoll", CancellationToken.None);

        Assert.True(first.Succeeded, fx.Host.Diagnostics());
        var sentFirst = fx.Graph.Messages.Count();
        Assert.InRange(sentFirst, 8, senders.Count - 1); // at least the first wave, never the whole queue
        // Every send that started also finished and was recorded: nothing is left half-done in 'sending'.
        Assert.Equal(0L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sending'"));
        Assert.Equal(sentFirst, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent'"));

        // The rest waits in the stream for the next tick.
        for (var tick = 0; tick < 3 && fx.Graph.Messages.Count() < senders.Count; tick++)
            Assert.True((await fx.Host.InvokeTimerAsync("WorkerPoll", CancellationToken.None)).Succeeded, fx.Host.Diagnostics());
        Assert.Equal(senders.Order(), fx.Graph.Messages.Select(m => m.To!).Order());
    }
}
