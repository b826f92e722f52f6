using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;

namespace MicAi.Core.Agents;

/// <summary>
/// An "inbound" job: answer one stored message exactly once. The answer (turn + ledger row + inbound status) commits
/// in one transaction before anything is sent; the send itself is guarded by the ledger row's idempotency key, so a
/// re-run after a crash at any point neither answers twice nor sends twice.
/// Opt-out: the confirmation is committed and sent first, then the contact is flagged (the sender skips opted-out
/// recipients); the flag is set again on every re-run of the job, so a crash after the send still opts them out.
/// </summary>
public sealed class InboundJobHandler(
    ConversationStore conversations, InvokePrefixGate gate, OptOutKeywords optOut, Responder responder, OutboundSender sender,
    MicAiSettings settings) : IJobHandler
{
    public string Type => JobTypes.Inbound;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var wamid = job.Key;
        var replyKey = OutboundDraft.ReplyKey(wamid);
        var context = await conversations.LoadAsync(wamid, ct);
        if (context is null) throw new PermanentJobException($"inbound message {wamid} is not stored");
        var command = context.Text is null ? OptCommand.None : optOut.Detect(context.Text);
        // A repeated STOP gets no second confirmation; START from a subscribed contact is an ordinary message.
        if (command == OptCommand.OptOut && context.OptedOut && context.Status is "received" or "queued") command = OptCommand.None;
        if (command == OptCommand.OptIn && !context.OptedOut) command = OptCommand.None;

        if (context.Status is "received" or "queued")
        {
            var (text, reply) = command switch
            {
                OptCommand.OptOut => (context.Text, new AgentReply(optOut.OptOutConfirmation, "opt_out", null)),
                OptCommand.OptIn => (context.Text, new AgentReply(optOut.OptInConfirmation, "opt_in", null)),
                _ => (context.Text is null ? null : gate.Admit(context.Text), null),
            };
            if (reply is null)
            {
                if (text is null || context.OptedOut)
                {
                    await conversations.MarkIgnoredAsync(wamid, context.OptedOut ? "contact opted out" : "not addressed to the bot", ct);
                    return;
                }
                reply = await responder.ReplyAsync(context, text, ct);
            }
            var draft = new OutboundDraft(replyKey, context.WaId, context.PhoneNumberId, "text", reply.Text,
                ContextMessageId: settings.WhatsApp.ReplyThreading ? wamid : null);
            await conversations.CompleteAsync(
                new ConversationTurn(context.WaId, context.Agent.Id, wamid, text, reply.Text, reply.MatchedRuleId, reply.Responder), draft, ct,
                optIn: command == OptCommand.OptIn);
        }
        else if (context.Status == "ignored")
        {
            return;
        }

        // Also on a re-run: finishes a send that a crash interrupted (no-op when the row is already final).
        try
        {
            await sender.SendAsync(replyKey, ct);
        }
        catch when (command == OptCommand.OptOut && job.Attempt >= settings.QueueMaxAttempts)
        {
            await conversations.SetOptedOutAsync(context.WaId, true, CancellationToken.None); // last try: the stop holds regardless
            throw;
        }
        if (command == OptCommand.OptOut) await conversations.SetOptedOutAsync(context.WaId, true, ct);
    }
}
