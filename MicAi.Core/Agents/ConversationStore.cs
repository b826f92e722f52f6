using System.Text.Json;
using System.Text.Json.Serialization;
using MicAi.Core.Outbox;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>What the worker needs to answer one inbound message, loaded in one round trip.</summary>
public sealed record InboundContext(
    string Wamid, string WaId, string? Text, string Status, string PhoneNumberId,
    bool OptedOut, string? ProfileName, AgentProfile Agent, string? TimeZone = null, DateTimeOffset? LastInboundAt = null);

/// <summary>A conversation turn: the answer chosen for one inbound message.</summary>
public sealed record ConversationTurn(string WaId, long AgentId, string InboundWamid, string? InboundText, string? ReplyText, long? MatchedRuleId, string Responder);

public sealed class ConversationStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Loads the message, its contact (if it has written or been bound before), the contact's agent (its binding,
    /// else the default agent) and the agent's enabled rules. Read-only: the contact is touched in the same
    /// transaction that records the outcome (<see cref="CompleteAsync"/>, <see cref="MarkIgnoredAsync"/>), one commit
    /// fewer per message.
    /// </summary>
    public async Task<InboundContext?> LoadAsync(string wamid, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT m.wa_id, m.text, m.status, m.phone_number_id, coalesce(c.opted_out, false),
                   COALESCE(m.profile_name, c.profile_name),
                   a.id, a.name, a.persona, a.fallback_reply, a.llm_enabled, a.allowed_tools,
                   (SELECT coalesce(json_agg(r ORDER BY r.priority, r.id), '[]')
                    FROM agent_rules r WHERE r.agent_id = a.id AND r.enabled)::text,
                   c.time_zone,
                   -- the contact's last_inbound_at once this message is recorded (CompleteAsync's TouchContact)
                   GREATEST(c.last_inbound_at, LEAST(COALESCE(m.sent_at, m.received_at), m.received_at))
            FROM inbound_messages m
            LEFT JOIN contacts c ON c.wa_id = m.wa_id
            JOIN agents a ON a.id = COALESCE(c.agent_id, (SELECT id FROM agents WHERE is_default))
            WHERE m.wamid = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = wamid });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var rules = JsonSerializer.Deserialize(r.GetString(12), AgentJson.Default.AgentRuleArray) ?? [];
        var agent = new AgentProfile(r.GetInt64(6), r.GetString(7), r.GetString(8), r.GetString(9), r.GetBoolean(10),
            r.GetFieldValue<string[]>(11), rules);
        return new InboundContext(wamid, r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3),
            r.GetBoolean(4), r.IsDBNull(5) ? null : r.GetString(5), agent, r.IsDBNull(13) ? null : r.GetString(13),
            r.GetFieldValue<DateTimeOffset>(14));
    }

    /// <summary>
    /// Records the answer atomically: the turn, the outbound ledger row (its idempotency key makes a re-run a no-op)
    /// and the inbound status. One batch = one round trip and one implicit transaction.
    /// </summary>
    /// <param name="claimFirst">Store the first reply already claimed for sending (the caller holds its slot).</param>
    /// <returns>True when the first reply's row was inserted by this call (with <paramref name="claimFirst"/>: it is ours to send).</returns>
    public async Task<bool> CompleteAsync(ConversationTurn turn, IReadOnlyList<OutboundDraft> replies, bool claimFirst, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(TouchContact(turn.InboundWamid));
        // START: subscribed again in the same transaction as the answer, so its confirmation may be sent.
        if (turn.Responder == OptOutKeywords.OptInResponder) batch.BatchCommands.Add(OptIn(turn.WaId));
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
        batch.BatchCommands.Add(MarkInbound(turn.InboundWamid, "processed", null));
        await batch.ExecuteNonQueryAsync(ct);
        return first.RecordsAffected == 1;
    }

    /// <summary>Stored but deliberately not answered (not addressed to the bot, opted out …).</summary>
    public async Task MarkIgnoredAsync(string wamid, string reason, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(TouchContact(wamid));
        batch.BatchCommands.Add(MarkInbound(wamid, "ignored", reason));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Opts a contact out (STOP) or back in (START); idempotent.</summary>
    public async Task SetOptedOutAsync(string waId, bool optedOut, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE contacts SET opted_out = $2, opted_out_at = CASE WHEN $2 THEN coalesce(opted_out_at, now()) END, updated_at = now()
            WHERE wa_id = $1 AND opted_out <> $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = optedOut });
        await cmd.ExecuteNonQueryAsync(ct);
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
        while (await r.ReadAsync(ct)) turns.Add((r.GetString(0), r.GetString(1)));
        turns.Reverse();
        return turns;
    }

    private static NpgsqlBatchCommand OptIn(string waId)
    {
        var cmd = new NpgsqlBatchCommand("UPDATE contacts SET opted_out = false, opted_out_at = NULL, updated_at = now() WHERE wa_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return cmd;
    }

    /// <summary>
    /// The contact as of this message: last_inbound_at opens the 24-hour window (never moves back), the profile name
    /// and identities are kept current. Idempotent, so a re-run of the job changes nothing.
    /// </summary>
    private static NpgsqlBatchCommand TouchContact(string wamid)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO contacts (wa_id, phone, user_id, profile_name, last_inbound_at)
            SELECT wa_id, phone, user_id, profile_name, LEAST(COALESCE(sent_at, received_at), received_at)
            FROM inbound_messages WHERE wamid = $1
            ON CONFLICT (wa_id) DO UPDATE SET
                last_inbound_at = GREATEST(contacts.last_inbound_at, EXCLUDED.last_inbound_at),
                profile_name = COALESCE(EXCLUDED.profile_name, contacts.profile_name),
                phone = COALESCE(EXCLUDED.phone, contacts.phone),
                user_id = COALESCE(EXCLUDED.user_id, contacts.user_id),
                updated_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = wamid });
        return cmd;
    }

    private static NpgsqlBatchCommand MarkInbound(string wamid, string status, string? error)
    {
        var cmd = new NpgsqlBatchCommand("UPDATE inbound_messages SET status = $2, error = $3, processed_at = now() WHERE wamid = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = wamid });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = error });
        return cmd;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AgentRule[]))]
internal sealed partial class AgentJson : JsonSerializerContext;
