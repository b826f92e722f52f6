using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Outbox;

/// <summary>
/// The send step, shared by reply and scheduled sends. Idempotent: only the caller that claims the ledger row
/// (pending/retrying → sending) talks to Meta, and every outcome is written back to the row. In order: opt-out,
/// kill switch, 24-hour window, pacing, the kill switch again (a pause may have come while we waited), Graph.
/// </summary>
public sealed class OutboundSender(
    OutboundLedger ledger, CloudApiClient client, OutboundSwitch outbound, WindowGate window, OutboundPacer pacer,
    WhatsAppSettings whatsApp, QueueSettings queue, TimeProvider time, ILogger<OutboundSender> log)
{
    private static readonly TimeSpan MaxPairBackoff = TimeSpan.FromMinutes(5);

    /// <summary>How long every worker holds off a number that Meta says is over its throughput (unless Retry-After says).</summary>
    public static readonly TimeSpan ThroughputCoolDown = TimeSpan.FromSeconds(1);

    /// <summary>Sends one ledger row. Throws <see cref="RetryLaterException"/> when it should be tried again later.</summary>
    public async Task SendAsync(string key, CancellationToken ct)
    {
        if (await TrySendAsync(key, ct) is { } deferFor)
            throw new RetryLaterException($"send {key} deferred: recipient pacing", deferFor);
    }

    /// <returns>
    /// Null when the row reached an outcome (or was not ours to send); else how long to defer it because the
    /// recipient's next slot is far off. A deferred row stays untouched and no attempt is spent.
    /// </returns>
    public async Task<TimeSpan?> TrySendAsync(string key, CancellationToken ct)
    {
        var row = await ledger.PeekAsync(key, ct);
        if (row is null) return null; // already finished, or another worker holds it

        if (row.OptedOut) return await FinishUnsentAsync(key, OutboundStatus.Skipped, "recipient opted out", ct);
        if (!await outbound.IsOpenAsync(ct)) return await SuppressAsync(key, ct);
        var decision = window.Decide(row);
        if (decision.Send is not { } planned) return await SkipOutsideWindowAsync(key, decision.SkipReason!, ct);

        // Pacing runs before the claim: a row waiting for its slot is still 'pending', so a worker that dies or stops
        // here leaves it to be sent later. Only the Graph call itself happens in 'sending' (→ 'unknown' if cut off).
        var (slot, deferFor) = await PaceAsync(planned, ct);
        if (slot is null) return deferFor ?? await SuppressAsync(key, ct); // no slot: far off, or paused meanwhile

        ClaimedSend? claimed;
        try
        {
            claimed = await ledger.ClaimAsync(key, ct);
        }
        catch
        {
            await ReleaseAsync(slot);
            throw;
        }
        // The same row, now with this attempt counted; the window is decided again in case it closed while we waited.
        var final = claimed is null ? null : window.Decide(claimed);
        if (final?.Send is not { } send)
        {
            await ReleaseAsync(slot);
            if (final is not null)
            {
                await ledger.FinishAsync(key, OutboundStatus.Skipped, null, final.SkipReason, CancellationToken.None);
                OutboxMetrics.Outcome(OutboundStatus.Skipped);
                OutboxMetrics.WindowSkipped();
            }
            return null;
        }
        await CallAsync(slot with { Send = send, IsFallback = final.IsFallback }, ct);
        return null;
    }

    /// <summary>
    /// The fast path for a reply that is not stored yet: runs the gates and pacing on the draft and, when it may go out
    /// right now, returns the held slot. The caller then stores the row already claimed ('sending', attempt 1) in the
    /// same transaction as the answer — one statement and one commit fewer than claiming it afterwards — and calls
    /// <see cref="SendReservedAsync"/>. Null when anything is not plain (opted out, paused, window closed, recipient
    /// slot far off): then the row is stored 'pending' and <see cref="SendAsync"/> takes the ordinary path.
    /// </summary>
    public async Task<ReservedSend?> TryReserveAsync(OutboundDraft draft, DateTimeOffset? lastInboundAt, CancellationToken ct)
    {
        if (!await outbound.IsOpenAsync(ct)) return null;
        var decision = window.Decide(ClaimedSend.FirstAttempt(draft, lastInboundAt));
        if (decision.Send is not { } planned || decision.IsFallback) return null;
        return (await PaceAsync(planned, ct)).Slot;
    }

    /// <summary>Sends a reserved row the caller has claimed. Throws like <see cref="SendAsync"/> when it should run again.</summary>
    public Task SendReservedAsync(ReservedSend reserved, CancellationToken ct) => CallAsync(reserved, ct);

    /// <summary>Gives back a reserved phone slot that will not be used (the row was not ours to claim after all).</summary>
    public Task ReleaseAsync(ReservedSend reserved) => pacer.ReleasePhoneSlotAsync(reserved.PhoneNumberId, reserved.Slot);

    /// <summary>
    /// Waits for the recipient's and then the phone number's slot, then looks at the kill switch again (a pause may
    /// have come while we waited). No slot when the recipient's is far off (with how long to defer) or when outbound
    /// was paused meanwhile (DeferFor null); a slot taken is given back in either case.
    /// </summary>
    private async Task<(ReservedSend? Slot, TimeSpan? DeferFor)> PaceAsync(ClaimedSend planned, CancellationToken ct)
    {
        var phoneNumberId = PhoneOf(planned);
        var waiting = time.GetTimestamp();
        var (wait, deferFor, phoneSlot) = await pacer.ReserveAsync(planned.WaId, phoneNumberId); // usually both at once
        if (wait is null) return (null, deferFor);
        if (phoneSlot is null)
        {
            if (wait > TimeSpan.Zero) await Task.Delay(wait.Value, ct); // Redis's clock: see OutboundPacer
            phoneSlot = await pacer.AcquirePhoneSlotAsync(phoneNumberId, ct);
        }
        var slot = new ReservedSend(planned, phoneNumberId, phoneSlot);
        OutboxMetrics.Waited(time.GetElapsedTime(waiting));
        bool open;
        try
        {
            open = await outbound.IsOpenAsync(ct);
        }
        catch
        {
            await ReleaseAsync(slot);
            throw;
        }
        if (open) return (slot, null);
        await ReleaseAsync(slot);
        return (null, null);
    }

    /// <summary>The Graph call for a claimed row, and its outcome written back. The phone slot is released either way.</summary>
    private async Task CallAsync(ReservedSend reserved, CancellationToken ct)
    {
        var send = reserved.Send;
        string providerId;
        try
        {
            providerId = await client.SendAsync(send, ct);
        }
        catch (GraphCallException ex)
        {
            await ReleaseAsync(reserved);
            await FailedAsync(send, ex);
            return;
        }
        await ReleaseAsync(reserved);
        await ledger.MarkSentAsync(send.IdempotencyKey, providerId, reserved.IsFallback ? send : null);
        OutboxMetrics.Sent(send.IdempotencyKey, time.GetUtcNow());
        OutboxLog.Sent(log, send.IdempotencyKey, providerId);
    }

    /// <summary>Ends a row that will not be sent: claimed first, so only one worker records the outcome.</summary>
    private async Task<TimeSpan?> FinishUnsentAsync(string key, OutboundStatus status, string reason, CancellationToken ct)
    {
        if (await ledger.ClaimAsync(key, ct) is null) return null;
        await ledger.FinishAsync(key, status, null, reason, CancellationToken.None);
        OutboxMetrics.Outcome(status);
        if (status == OutboundStatus.Skipped) OutboxLog.Skipped(log, key, reason);
        return null;
    }

    private async Task<TimeSpan?> SkipOutsideWindowAsync(string key, string reason, CancellationToken ct)
    {
        var result = await FinishUnsentAsync(key, OutboundStatus.Skipped, reason, ct);
        OutboxMetrics.WindowSkipped();
        return result;
    }

    /// <summary>Recorded, not lost: an operator sees exactly what would have gone out.</summary>
    private Task<TimeSpan?> SuppressAsync(string key, CancellationToken ct) =>
        FinishUnsentAsync(key, OutboundStatus.Suppressed, outbound.EnvEnabled ? "outbound paused" : "outbound disabled", ct);

    private string PhoneOf(ClaimedSend send) =>
        string.IsNullOrEmpty(send.PhoneNumberId) ? whatsApp.PhoneNumberId : send.PhoneNumberId;

    /// <summary>Records a failed call; throws when the job should run again.</summary>
    private async Task FailedAsync(ClaimedSend send, GraphCallException ex)
    {
        var key = send.IdempotencyKey;
        var error = ex.Error;
        // The call finished: record its outcome even if the worker is being stopped.
        var none = CancellationToken.None;
        if (ex.MaybeDelivered)
        {
            // Never re-sent (it may have reached Meta): a status webhook carrying our key settles it.
            await ledger.FinishAsync(key, OutboundStatus.Unknown, error.Code, error.Message, none);
            OutboxMetrics.Failed(OutboundStatus.Unknown, error);
            OutboxLog.OutcomeUnknown(log, key, error.Message);
            return;
        }
        switch (error.Class)
        {
            case GraphErrorClass.Retryable when send.Attempts < queue.MaxAttempts:
                await ledger.FinishAsync(key, OutboundStatus.Retrying, error.Code, error.Message, none);
                OutboxMetrics.Failed(OutboundStatus.Retrying, error);
                var after = ex.RetryAfter ?? TimeSpan.Zero;
                if (error.IsRecipientScoped)
                {
                    // Meta suggests waiting 4^n seconds before writing to this person again; others are unaffected.
                    var pairWait = TimeSpan.FromSeconds(Math.Min(Math.Pow(4, send.Attempts), MaxPairBackoff.TotalSeconds));
                    after = after > pairWait ? after : pairWait;
                    await pacer.BackOffRecipientAsync(send.WaId, after);
                }
                if (error.ThrottlesSender)
                {
                    var coolDown = ex.RetryAfter is { } ra && ra > ThroughputCoolDown ? ra : ThroughputCoolDown;
                    await pacer.CoolDownPhoneAsync(PhoneOf(send), coolDown < OutboundPacer.MaxHold / 2 ? coolDown : OutboundPacer.MaxHold / 2);
                }
                throw new RetryLaterException(ex.Message, after, ex);
            case GraphErrorClass.Retryable:
                await ledger.FinishAsync(key, OutboundStatus.Failed, error.Code, error.Message, none);
                OutboxMetrics.Failed(OutboundStatus.Failed, error);
                throw new PermanentJobException($"send {key} gave up after {send.Attempts} attempts: {ex.Message}", ex);
            case GraphErrorClass.FatalConfig:
                await ledger.FinishAsync(key, OutboundStatus.Failed, error.Code, error.Message, none);
                OutboxMetrics.Failed(OutboundStatus.Failed, error);
                OutboxLog.FatalConfig(log, key, error.Code, error.Message, error.FbTraceId);
                await outbound.SetPausedAsync(true, $"Graph error {error.Code?.ToString() ?? "HTTP " + error.HttpStatus}: {error.Message}", none);
                return;
            default:
                await ledger.FinishAsync(key, OutboundStatus.Failed, error.Code, error.Message, none);
                OutboxMetrics.Failed(OutboundStatus.Failed, error);
                OutboxLog.SendFailed(log, key, error.Code, error.Message);
                return;
        }
    }
}
