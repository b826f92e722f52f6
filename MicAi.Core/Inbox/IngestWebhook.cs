using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Inbox;

public enum IngestOutcome { Accepted, DatabaseUnavailable }

/// <summary>
/// Store first (Postgres is the source of truth and the dedupe point), then enqueue (Redis is transport only).
/// If Redis is down the messages are still stored and the sweeper enqueues them later, so Meta still gets 200.
/// </summary>
public sealed class IngestWebhook(
    InboundStore inbound, OutboundLedger ledger, HandoverStore handovers, InboxSettings settings, JobStream jobs, TimeProvider time, ILogger<IngestWebhook> log)
{
    public async Task<(IngestOutcome Outcome, int Processed)> IngestAsync(WebhookBatch batch, CancellationToken ct)
    {
        int stored;
        List<string> toAnswer;
        try
        {
            (stored, toAnswer) = await inbound.InsertNewAsync(batch.Messages, ct);
            if (batch.Statuses.Count > 0) await ledger.ApplyDeliveryStatusesAsync(batch.Statuses, ct);
            // A person answered from the WhatsApp Business app: the bot steps back for that contact.
            if (batch.Echoes.Count > 0) await handovers.RecordEchoesAsync(batch.Echoes, time.GetUtcNow(), settings.HandoverAutoDuration, ct);
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex))
        {
            InboxLog.DatabaseUnavailable(log, ex);
            return (IngestOutcome.DatabaseUnavailable, 0);
        }

        InboxMetrics.Ingested(batch.Messages.Count, stored);
        foreach (var error in batch.Errors) InboxLog.MetaReportedError(log, error.Code, error.Title);
        if (batch.Messages.Where(m => m.InvalidReason is not null).Select(m => m.InvalidReason!).ToList() is [var first, ..] invalid)
            InboxLog.InvalidStored(log, invalid.Count, first);
        if (batch.Skipped > 0) InboxLog.StatusesSkipped(log, batch.Skipped);

        if (toAnswer.Count > 0)
        {
            var now = time.GetUtcNow();
            try { await jobs.EnqueueAsync(toAnswer.Select(w => Job.New(JobTypes.Inbound, w, now)).ToArray()); }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                InboxLog.EnqueueDeferred(log, toAnswer.Count, ex); // stored: the sweeper enqueues them once Redis is back
            }
        }
        return (IngestOutcome.Accepted, stored);
    }
}
