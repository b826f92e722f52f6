using MicAi.Core.Inbox;
using MicAi.Core.Media;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>
/// An "inbound" job: answer one stored message exactly once. The answer (turn + ledger row + inbound status) commits
/// in one transaction before anything is sent; the send itself is guarded by the ledger row's idempotency key, so a
/// re-run after a crash at any point neither answers twice nor sends twice. When the first reply may go out at once,
/// that transaction also claims its row (see <see cref="OutboundSender.TryReserveAsync"/>).
/// Opt-out: the confirmation is committed and sent first, then the contact is flagged (the sender skips opted-out
/// recipients); the flag is set again on every re-run of the job, so a crash after the send still opts them out.
/// </summary>
public sealed class InboundJobHandler(
    ConversationStore conversations, ContactStore contacts, InvokePrefixGate gate, Responder responder, OutboundSender sender,
    ReadReceipts receipts, OutboundLedger ledger, WhatsAppSettings whatsApp, QueueSettings queue, OptOutKeywords optOut,
    HandoverKeywords handover, InboxSettings inbox, MediaIntake media, TimeProvider time)
    : IJobHandler
{
    public string Type => JobTypes.Inbound;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var wamid = job.Key;
        var replyKey = OutboundDraft.ReplyKey(wamid);
        IReadOnlyList<string>? partKeys = null;
        ReservedSend? claimedFirst = null;
        Task? reading = null;
        var now = time.GetUtcNow();
        var context = await conversations.LoadAsync(wamid, now, ct);
        if (context is null) throw new PermanentJobException($"inbound message {wamid} is not stored");
        var command = optOut.Detect(context); // STOP/START work without the invoke prefix
        // Asking for a person works without the invoke prefix too; during a handover only STOP/START and this get an answer.
        var asksForPerson = command == OptCommand.None && handover.IsRequest(context.Agent, context.Text);

        if (context.Status.IsUnanswered())
        {
            // Media first (Meta's ids expire, and an operator sees it during a handover too); a voice note's transcript
            // is the text from here on (docs/media.md).
            var heard = context.Media is { } m ? await media.PrepareAsync(m, job.Attempt >= queue.MaxAttempts, ct) : null;
            if (context.HandoverActive && command == OptCommand.None && !asksForPerson)
            {
                await conversations.MarkIgnoredAsync(wamid, HandoverStore.IgnoredReason, ct);
                return;
            }
            var said = heard?.Heard ?? context.Text;
            // A tap answers something we sent, and an unheard voice note cannot show the prefix: both skip the gate.
            var ungated = command != OptCommand.None || asksForPerson || context.ReplyId is not null || heard?.UnheardReason is not null;
            var text = ungated ? said : said is null ? null : gate.Admit(said);
            if (text is null || context.OptedOut && command != OptCommand.OptIn)
            {
                await conversations.MarkIgnoredAsync(wamid, context.OptedOut ? "contact opted out" : "not addressed to the bot", ct);
                return;
            }
            // The read receipt (with the typing indicator) travels while the reply is chosen and stored; it is awaited
            // before anything is sent, so Meta still sees it first. It never throws: a courtesy.
            reading = receipts.MarkReadAsync(context.PhoneNumberId, wamid, ct);
            var reply = optOut.Confirmation(command)
                ?? (asksForPerson ? HandoverKeywords.Reply(context.Agent)
                    : heard?.UnheardReason is not null ? new AgentReply(media.FallbackReply, "transcription", null)
                    : await responder.ReplyAsync(context, text, ct));
            var quoted = whatsApp.ReplyThreading ? wamid : null;
            var drafts = reply.Template is { } template
                ? [new OutboundDraft(replyKey, context.WaId, context.PhoneNumberId, "template", reply.Text, quoted, template.Name, template.Language)
                    { Template = template, Author = reply.Responder }]
                : reply.Content is { } content
                ? [OutboundDraft.Rich(replyKey, context.WaId, context.PhoneNumberId, content, reply.Text, quoted) with { Author = reply.Responder }]
                : new OutboundDraft(replyKey, context.WaId, context.PhoneNumberId, "text", reply.Text, ContextMessageId: quoted) { Author = reply.Responder }.SplitText();
            var startHandover = asksForPerson
                ? HandoverStore.StartCommand(context.WaId, HandoverReason.Customer, now, inbox.HandoverAutoDuration) : null;
            // Usually the first reply may go out at once: its slot is taken now and its row stored already claimed.
            var reserved = await sender.TryReserveAsync(drafts[0], context.LastInboundAt, ct);
            bool inserted;
            try
            {
                inserted = await conversations.CompleteAsync(
                    new ConversationTurn(context.WaId, context.Agent.Id, wamid, text, reply.Text, reply.MatchedRuleId, reply.Responder),
                    drafts, claimFirst: reserved is not null, ct, startHandover);
            }
            catch
            {
                if (reserved is not null) await sender.ReleaseAsync(reserved);
                throw;
            }
            if (reserved is not null && !inserted) await sender.ReleaseAsync(reserved); // a concurrent run stored it first: its send
            claimedFirst = inserted ? reserved : null;
            partKeys = drafts.Skip(claimedFirst is null ? 0 : 1).Select(d => d.IdempotencyKey).ToArray();
        }
        if (reading is not null) await reading;
        // Also on a re-run: finishes a send that a crash interrupted (no-op when the row is already final).
        // A long reply is several rows, sent in order.
        try
        {
            if (claimedFirst is not null) await sender.SendReservedAsync(claimedFirst, ct);
            foreach (var key in partKeys ?? await ledger.PartKeysAsync(replyKey, ct)) await sender.SendAsync(key, ct);
        }
        catch when (command == OptCommand.OptOut && job.Attempt >= queue.MaxAttempts)
        {
            await contacts.SetOptedOutAsync(context.WaId, true, CancellationToken.None); // last try: the stop holds regardless
            throw;
        }
        if (command == OptCommand.OptOut) await contacts.SetOptedOutAsync(context.WaId, true, ct);
    }

    /// <summary>A replayed inbound job may send its reply again: the reply's row, if it failed, goes back to pending.</summary>
    public NpgsqlBatchCommand? PrepareReplay(Job job) => OutboundLedger.ResetForReplayCommand(OutboundDraft.ReplyKey(job.Key));
}
