using System.Text.Json.Serialization;
using MicAi.Core.Inbox;
using MicAi.Core.Media;
using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>What the worker needs to answer one inbound message, loaded in one round trip.</summary>
public sealed record InboundContext(
    string Wamid, string WaId, string? Text, InboundStatus Status, string PhoneNumberId,
    bool OptedOut, string? ProfileName, AgentProfile Agent, string? TimeZone = null, DateTimeOffset? LastInboundAt = null)
{
    /// <summary>A person is answering this contact (an active handover): the bot sends nothing.</summary>
    public bool HandoverActive { get; init; }

    /// <summary>The id of the button or list row tapped (or a template quick reply's payload); rules match it too.</summary>
    public string? ReplyId { get; init; }

    /// <summary>The image, voice note, video, document or sticker the message carries, if any.</summary>
    public MediaRef? Media { get; init; }
}

/// <summary>A conversation turn: the answer chosen for one inbound message.</summary>
public sealed record ConversationTurn(string WaId, long AgentId, string InboundWamid, string? InboundText, string? ReplyText, long? MatchedRuleId, string Responder);

/// <summary>
/// The conversation_turns table, and the answer's one read and one write: the read joins the message, its contact and
/// agent; the write is one batch of each table's own statements (contacts, the turn, the ledger, the message).
/// </summary>
public sealed class ConversationStore(NpgsqlDataSource db, AgentRuleCache rules)
{
    /// <summary>
    /// Loads the message, its contact (if it has written or been bound before), the contact's agent (its binding,
    /// else the default agent) and the version of the agent's rules, whose compiled form comes from the worker's cache
    /// (read again only when the version moved: <see cref="AgentRuleCache"/>). Read-only: the contact is touched in the same
    /// transaction that records the outcome (<see cref="CompleteAsync"/>, <see cref="MarkIgnoredAsync"/>), one commit
    /// fewer per message.
    /// </summary>
    /// <param name="now">The clock's now: a handover is active while its end is still ahead of it.</param>
    public async Task<InboundContext?> LoadAsync(string wamid, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT m.wa_id, m.text, m.status, m.phone_number_id, coalesce(c.opted_out, false) AS opted_out,
                   COALESCE(m.profile_name, c.profile_name) AS profile_name,
                   a.id AS agent_id, a.name AS agent_name, a.persona, a.fallback_reply, a.llm_enabled, a.allowed_tools,
                   a.handover_keywords, a.handover_reply, a.rules_version,
                   EXISTS (SELECT 1 FROM handovers h WHERE h.wa_id = m.wa_id AND (h.until IS NULL OR h.until > $2)) AS handover_active,
                   -- what a tap sent back: a reply button's or list row's id, or a template quick reply's payload
                   COALESCE(m.payload #>> '{interactive,button_reply,id}', m.payload #>> '{interactive,list_reply,id}',
                            m.payload #>> '{button,payload}') AS reply_id,
                   m.type, (m.payload -> m.type)::text AS type_object,
                   c.time_zone,
                   -- the contact's last_inbound_at once this message is recorded (CompleteAsync's ContactStore.TouchCommand)
                   GREATEST(c.last_inbound_at, LEAST(COALESCE(m.sent_at, m.received_at), m.received_at)) AS last_inbound_at
            FROM inbound_messages m
            LEFT JOIN contacts c ON c.wa_id = m.wa_id
            JOIN agents a ON a.id = COALESCE(c.agent_id, (SELECT id FROM agents WHERE is_default))
            WHERE m.wamid = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = wamid });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        InboundContext context;
        long agentId, rulesVersion;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) return null;
            agentId = r.Get<long>("agent_id");
            rulesVersion = r.Get<long>("rules_version");
            var agent = new AgentProfile(agentId, r.Get<string>("agent_name"), r.Get<string>("persona"),
                r.Get<string>("fallback_reply"), r.Get<bool>("llm_enabled"), r.Get<string[]>("allowed_tools"), CompiledRules.Empty)
            { HandoverKeywords = r.Get<string[]>("handover_keywords"), HandoverReply = r.Get<string>("handover_reply") };
            context = new InboundContext(wamid, r.Get<string>("wa_id"), r.GetOrNull<string>("text"), DbEnum<InboundStatus>.Parse(r.Get<string>("status")),
                r.Get<string>("phone_number_id"), r.Get<bool>("opted_out"), r.GetOrNull<string>("profile_name"), agent,
                r.GetOrNull<string>("time_zone"), r.Get<DateTimeOffset>("last_inbound_at"))
            {
                HandoverActive = r.Get<bool>("handover_active"),
                ReplyId = r.GetOrNull<string>("reply_id"),
                Media = MediaRef.From(wamid, r.Get<string>("wa_id"), r.Get<string>("phone_number_id"), r.Get<string>("type"), r.GetOrNull<string>("type_object")),
            };
        } // the connection goes back to the pool before the rules may need one
        return context with { Agent = context.Agent with { Rules = await rules.GetAsync(agentId, rulesVersion, ct) } };
    }

    /// <summary>
    /// Records the answer atomically: the contact, the turn, the outbound ledger rows (their idempotency keys make a
    /// re-run a no-op) and the inbound status. One batch = one round trip and one implicit transaction.
    /// </summary>
    /// <param name="claimFirst">Store the first reply already claimed for sending (the caller holds its slot).</param>
    /// <param name="alsoRun">Another store's statement that belongs to this answer (a handover the customer asked for).</param>
    /// <returns>True when the first reply's row was inserted by this call (with <paramref name="claimFirst"/>: it is ours to send).</returns>
    public async Task<bool> CompleteAsync(
        ConversationTurn turn, IReadOnlyList<OutboundDraft> replies, bool claimFirst, CancellationToken ct, NpgsqlBatchCommand? alsoRun = null)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(ContactStore.TouchCommand(turn.InboundWamid));
        if (alsoRun is not null) batch.BatchCommands.Add(alsoRun);
        // START: subscribed again in the same transaction as the answer, so its confirmation may be sent.
        if (turn.Responder == OptOutKeywords.OptInResponder) batch.BatchCommands.Add(ContactStore.OptInCommand(turn.WaId));
        var insertTurn = new NpgsqlBatchCommand("""
            INSERT INTO conversation_turns (wa_id, agent_id, inbound_wamid, inbound_text, reply_text, matched_rule_id, responder)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (inbound_wamid) DO NOTHING
            """);
        insertTurn.Parameters.Add(new NpgsqlParameter<string> { TypedValue = turn.WaId });
        insertTurn.Parameters.Add(new NpgsqlParameter<long> { TypedValue = turn.AgentId });
        insertTurn.Parameters.Add(new NpgsqlParameter<string> { TypedValue = turn.InboundWamid });
        insertTurn.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = turn.InboundText });
        insertTurn.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = turn.ReplyText });
        insertTurn.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = turn.MatchedRuleId });
        insertTurn.Parameters.Add(new NpgsqlParameter<string> { TypedValue = turn.Responder });
        batch.BatchCommands.Add(insertTurn);
        var first = OutboundLedger.InsertCommand(replies[0], claimFirst);
        batch.BatchCommands.Add(first);
        foreach (var reply in replies.Skip(1)) batch.BatchCommands.Add(OutboundLedger.InsertCommand(reply));
        batch.BatchCommands.Add(InboundStore.MarkCommand(turn.InboundWamid, InboundStatus.Processed, null));
        await batch.ExecuteNonQueryAsync(ct);
        return first.RecordsAffected == 1;
    }

    /// <summary>Stored but deliberately not answered (not addressed to the bot, opted out …).</summary>
    public async Task MarkIgnoredAsync(string wamid, string reason, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(ContactStore.TouchCommand(wamid));
        batch.BatchCommands.Add(InboundStore.MarkCommand(wamid, InboundStatus.Ignored, reason));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The contact's last <paramref name="count"/> answered turns, oldest first (LLM history).</summary>
    public async Task<List<(string User, string Assistant)>> RecentTurnsAsync(string waId, int count, CancellationToken ct)
    {
        var turns = new List<(string, string)>();
        if (count <= 0) return turns;
        await using var cmd = db.CreateCommand("""
            SELECT inbound_text, reply_text FROM conversation_turns
            WHERE wa_id = $1 AND inbound_text IS NOT NULL AND reply_text IS NOT NULL
            ORDER BY id DESC LIMIT $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) turns.Add((r.Get<string>("inbound_text"), r.Get<string>("reply_text")));
        turns.Reverse();
        return turns;
    }

    /// <summary>A contact's turns, newest first (the admin API's conversation view).</summary>
    public async Task<List<TurnView>> TurnsAsync(string waId, int limit, int offset, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, agent_id, inbound_wamid, inbound_text, reply_text, matched_rule_id, responder, created_at
            FROM conversation_turns WHERE wa_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        var list = new List<TurnView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new TurnView(r.Get<long>("id"), r.GetNullable<long>("agent_id"), r.Get<string>("inbound_wamid"), r.GetOrNull<string>("inbound_text"),
                r.GetOrNull<string>("reply_text"), r.GetNullable<long>("matched_rule_id"), r.Get<string>("responder"), r.Get<DateTimeOffset>("created_at")));
        return list;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AgentRule[]))]
[JsonSerializable(typeof(MicAi.Core.WhatsApp.RichReply))]
internal sealed partial class AgentJson : JsonSerializerContext;
