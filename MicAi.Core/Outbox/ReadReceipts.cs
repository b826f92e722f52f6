using MicAi.Core.WhatsApp;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Outbox;

/// <summary>
/// Marks an inbound message read, with the typing indicator, as soon as the worker starts answering it
/// (MICAI_MARK_AS_READ, default on). A courtesy: it respects the kill switch, and its failure never fails the reply;
/// it never throws, so a caller may start it and await it later.
/// </summary>
public sealed class ReadReceipts(CloudApiClient client, OutboundSwitch outbound, WhatsAppSettings settings, ILogger<ReadReceipts> log)
{
    /// <summary>Short: the reply waits for this call, and a receipt that is late is worth little.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task MarkReadAsync(string phoneNumberId, string wamid, CancellationToken ct)
    {
        if (!settings.MarkAsRead) return;
        try
        {
            if (!await outbound.IsOpenAsync(ct)) return;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            await client.MarkReadAsync(phoneNumberId, wamid, typingIndicator: true, timeout.Token);
        }
        catch (Exception ex)
        {
            // Not even a cancellation escapes: the job awaits this only on its way to sending, and a job that failed
            // before that never awaits it at all.
            if (!ct.IsCancellationRequested) OutboxLog.MarkReadFailed(log, wamid, ex.Message);
        }
    }
}
