using MicAi.Core.WhatsApp;
using System.Threading.Channels;
using MicAi.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Simulator;

/// <summary>A status webhook to deliver for one of the bot's messages.</summary>
public sealed record StatusWork(string Wamid, string Status, (int Code, string Title, string Details)? Error = null);

/// <summary>
/// Sends the delivery statuses of the bot's messages back to MicAi, signed, one at a time in the order they were
/// queued (sent → delivered → read, as WhatsApp reports them). A bubble's ticks move only when MicAi accepted the
/// status webhook; a refusal is shown on the bubble and logged. The loop starts with the first status (so a role
/// without HTTP never runs it) and ends when the application stops.
/// </summary>
public sealed class StatusPump(SimulatorStore store, WebhookPoster poster, WhatsAppSettings whatsApp, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<StatusPump> log)
{
    private static readonly string[] Order = ["accepted", "sent", "delivered", "read"];
    private readonly Channel<StatusWork> queue = Channel.CreateUnbounded<StatusWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> readQueued = [];
    private int started;

    public void Enqueue(StatusWork work)
    {
        if (work.Status == "read")
            lock (readQueued)
                if (!readQueued.Add(work.Wamid)) return; // the page asks on every refresh; one read in flight per message
        queue.Writer.TryWrite(work);
        if (Interlocked.Exchange(ref started, 1) == 0) _ = Task.Run(() => RunAsync(lifetime.ApplicationStopping));
    }

    /// <summary>Reports read for every bot message to the customer that is not read or failed yet (the chat is open).</summary>
    public void Seen(string customerId)
    {
        foreach (var message in store.BotMessages(customerId, m => m.Status is "accepted" or "sent" or "delivered"))
            Enqueue(new StatusWork(message.Wamid, "read"));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stop))
            {
                try { await DeliverAsync(work, stop); }
                catch (Exception ex) when (!stop.IsCancellationRequested) { SimulatorLog.StatusFailed(log, work.Wamid, work.Status, ex); }
                // Delivered (the bubble is read now) or refused (the next look at the chat asks again).
                if (work.Status == "read") lock (readQueued) readQueued.Remove(work.Wamid);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { } // shutdown
    }

    private async Task DeliverAsync(StatusWork work, CancellationToken ct)
    {
        if (store.Find(work.Wamid) is not { } message || store.FindCustomer(message.CustomerId) is not { } customer) return; // dropped from the bounded store
        if (message.Status == "failed") return; // WhatsApp reports nothing after a failure
        var body = MetaWebhooks.Status(whatsApp.PhoneNumberId, customer, message, work.Status, time.GetUtcNow(), work.Error);
        var outcome = await poster.PostAsync(body, ct);
        store.Update(work.Wamid, m => !outcome.Accepted
            ? m with { Error = $"{work.Status} status: {outcome.Describe()}" }
            : work.Status == "failed" ? m with { Status = "failed", Error = work.Error?.Title }
            : m.Status == "failed" ? m // failed is final
            : Array.IndexOf(Order, work.Status) > Array.IndexOf(Order, m.Status) ? m with { Status = work.Status } : m);
    }
}
