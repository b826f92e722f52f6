using MicAi.Core.Agents;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Operators;

/// <summary>Why an operator's send was not accepted (null on success): the HTTP status and the problem's detail.</summary>
public sealed record SendRefusal(int Status, string Detail);

/// <summary>An operator's send: the ledger row (202), or why not.</summary>
public sealed record SendOutcome(OutboundView? Row, SendRefusal? Refusal);

/// <summary>
/// Messages a person sends to a contact through the admin API. No second send path: a ledger row (pending, author
/// operator) and a send job, so the kill switch, the 24-hour window, pacing, retries and the 'sending' fence apply as
/// to every bot reply. Refused up front, with nothing stored, when the send could only be skipped or suppressed.
/// </summary>
public sealed class OperatorSends(
    OutboundLedger ledger, ContactStore contacts, OutboundSwitch outbound, WindowGate window, JobStream jobs,
    WhatsAppSettings whatsApp, OutboundSettings settings, TimeProvider time, ILogger<OperatorSends> log)
{
    /// <summary>
    /// Idempotency-Key semantics (as Stripe's and the IETF httpapi draft's): the first request with a key is carried
    /// out; a repeat with the same body gets the first result (the row as it is now) and sends nothing; a repeat with
    /// another body is refused with 422.
    /// </summary>
    public async Task<SendOutcome> SendAsync(string waId, string idempotencyKey, OperatorSendInput input, CancellationToken ct)
    {
        var key = $"operator:{waId}:{idempotencyKey}";
        var hash = input.Hash(waId);
        if (await ledger.GetAsync(key, ct) is { } earlier) return Repeat(earlier, hash);
        if (await RefuseAsync(waId, isFreeText: input.Text is not null, ct) is { } refusal) return new(null, refusal);

        var t = input.Template;
        var draft = new OutboundDraft(key, waId, whatsApp.PhoneNumberId, t is null ? "text" : "template", input.Text,
            TemplateName: t?.Name, TemplateLanguage: t is null ? null : t.Language ?? settings.TemplateLanguage, TemplateParams: t?.BodyParams)
        {
            Author = OutboundAuthors.Operator, RequestHash = hash, Template = TemplateMessage.WithHeaderOrButtons(t?.BodyParams, t?.HeaderParams, t?.Buttons),
        };
        return await InsertAndEnqueueAsync(draft, hash, ct);
    }

    /// <summary>
    /// An operator's explicit resend of a send whose outcome is unknown: a new row <c>resend:{key}</c> linked to the
    /// old one (resend_of), sent like any operator send. Only for 'unknown' rows; a repeat returns the first resend.
    /// </summary>
    public async Task<SendOutcome> ResendAsync(string unknownKey, CancellationToken ct)
    {
        var key = "resend:" + unknownKey;
        if (await ledger.GetAsync(key, ct) is { } earlier) return new(earlier, null);
        var old = await ledger.GetAsync(unknownKey, ct);
        if (old is null) return new(null, new(404, $"outbound message {unknownKey} does not exist"));
        if (old.Status != OutboundStatus.Unknown)
            return new(null, new(409, $"outbound message {unknownKey} is {old.Status.ToString().ToLowerInvariant()}, not unknown: only a send whose outcome is unknown can be resent"));
        var draft = (await ledger.DraftOfAsync(unknownKey, ct))!;
        if (await RefuseAsync(draft.WaId, isFreeText: draft.Kind == "text", ct) is { } refusal) return new(null, refusal);
        return await InsertAndEnqueueAsync(draft with { IdempotencyKey = key, Author = OutboundAuthors.Operator, ResendOf = unknownKey }, null, ct);
    }

    private static SendOutcome Repeat(OutboundView earlier, string hash) => earlier.RequestHash == hash
        ? new(earlier, null)
        : new(null, new(422, "this Idempotency-Key was already used with a different request; use a new key for a new message"));

    /// <summary>What would make the send pointless, checked before anything is stored: 404, or 409 with the reason.</summary>
    private async Task<SendRefusal?> RefuseAsync(string waId, bool isFreeText, CancellationToken ct)
    {
        if (await contacts.GetAsync(waId, ct) is not { } contact) return new(404, $"contact {waId} does not exist");
        if (contact.OptedOut) return new(409, $"contact {waId} opted out: nothing is sent to them until they send START");
        var state = await outbound.StateAsync(ct);
        if (!state.OutboundEffective)
            return new(409, state.OutboundPaused
                ? $"outbound sending is paused ({state.PauseReason}); resume it with POST /admin/outbound/resume"
                : "outbound sending is disabled (MICAI_OUTBOUND_REPLY_ENABLED=false)");
        if (isFreeText && !window.IsOpen(contact.LastInboundAt))
        {
            var since = contact.LastInboundAt is { } at ? $"the last message from {waId} came at {at:u}" : $"{waId} has never written";
            return new(409, $"free text is outside the {settings.FreeformWindowHours}-hour customer-service window ({since}); " +
                "send an approved template instead: {\"template\": {\"name\": \"...\", \"language\": \"en_US\", \"body_params\": [...]}}");
        }
        return null;
    }

    private async Task<SendOutcome> InsertAndEnqueueAsync(OutboundDraft draft, string? hash, CancellationToken ct)
    {
        var stored = await ledger.InsertOperatorAsync(draft, ct);
        if (!stored.Inserted) return hash is null ? new(stored.Row, null) : Repeat(stored.Row, hash); // a concurrent request with the key won
        try
        {
            await jobs.EnqueueAsync([Job.New(JobTypes.Send, draft.IdempotencyKey, time.GetUtcNow())]);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Stored 'pending': the sweeper enqueues it once Redis is back. Accepted, not lost.
            OperatorsLog.EnqueueDeferred(log, draft.IdempotencyKey, ex);
        }
        return new(stored.Row, null);
    }
}
