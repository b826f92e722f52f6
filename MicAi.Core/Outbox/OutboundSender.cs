using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Outbox;

/// <summary>
/// The send step, shared by reply and scheduled sends. Idempotent: only the caller that claims the ledger row
/// (pending/retrying → sending) talks to Meta, and every outcome is written back to the row.
/// </summary>
public sealed class OutboundSender(OutboundLedger ledger, CloudApiClient client, OutboundSwitch outbound, ILogger<OutboundSender> log)
{
    public async Task SendAsync(string key, CancellationToken ct)
    {
        var send = await ledger.ClaimAsync(key, ct);
        if (send is null) return; // already finished, or another worker holds it

        if (send.OptedOut)
        {
            await ledger.FinishAsync(key, "skipped", null, "recipient opted out", ct);
            return;
        }
        if (!outbound.IsOpen)
        {
            // Recorded, not lost: an operator sees exactly what would have gone out.
            await ledger.FinishAsync(key, "suppressed", null, outbound.EnvEnabled ? "outbound paused" : "outbound disabled", ct);
            return;
        }

        try
        {
            var providerId = await client.SendAsync(send, ct);
            await ledger.MarkSentAsync(key, providerId, ct);
            OutboxLog.Sent(log, key, providerId);
        }
        catch (GraphCallException ex) when (ex.Error.Class == GraphErrorClass.Retryable)
        {
            await ledger.FinishAsync(key, "retrying", ex.Error.Code, ex.Error.Message, CancellationToken.None);
            throw new RetryLaterException(ex.Message, ex.RetryAfter ?? TimeSpan.Zero, ex);
        }
        catch (GraphCallException ex)
        {
            await ledger.FinishAsync(key, "failed", ex.Error.Code, ex.Error.Message, CancellationToken.None);
            OutboxLog.SendFailed(log, key, ex.Error.Code, ex.Error.Message);
        }
    }
}
