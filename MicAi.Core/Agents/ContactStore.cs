using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>
/// The contacts table: who has written (touched as each message is answered), their agent binding, opt-out state and
/// time zone. The batch commands join the answer's transaction (<see cref="ConversationStore.CompleteAsync"/>).
/// </summary>
public sealed partial class ContactStore(NpgsqlDataSource db, InboundStore inbound, OutboundLedger ledger, OutboundSettings outbound, TimeProvider time)
{
    // What a conversation list shows per contact without a call per row: the newest inbound and outbound message
    // (one index probe each: inbound_by_contact, outbound_by_recipient) and an active handover. $1 = now.
    private const string Summary = """
        SELECT c.wa_id, c.profile_name, c.phone, c.agent_id, c.opted_out, c.opted_out_at, c.time_zone, c.last_inbound_at, c.created_at,
               li.text AS in_text, li.type AS in_type, li.received_at AS in_at, li.status AS in_status,
               lo.body AS out_text, lo.created_at AS out_at, lo.status AS out_status, lo.author AS out_author,
               h.reason AS handover_reason, h.started_at AS handover_started_at, h.until AS handover_until,
               (li.received_at IS NOT NULL AND (lo.created_at IS NULL OR li.received_at > lo.created_at)) AS awaiting_reply
        FROM contacts c
        LEFT JOIN LATERAL (SELECT i.text, i.type, i.received_at, i.status FROM inbound_messages i WHERE i.wa_id = c.wa_id
                           ORDER BY i.received_at DESC, i.wamid DESC LIMIT 1) li ON true
        LEFT JOIN LATERAL (SELECT coalesce(o.body, o.template_name) AS body, o.created_at, o.status, o.author FROM outbound_messages o
                           WHERE o.wa_id = c.wa_id ORDER BY o.created_at DESC, o.idempotency_key DESC LIMIT 1) lo ON true
        LEFT JOIN handovers h ON h.wa_id = c.wa_id AND (h.until IS NULL OR h.until > $1)
        """;

    // The list's filters on a summary row: $2 opted out, $3 agent, $4 handover, $5 awaiting a reply (NULL: any).
    private const string Filters = """
        ($2::boolean IS NULL OR opted_out = $2) AND ($3::bigint IS NULL OR agent_id = $3)
          AND ($4::boolean IS NULL OR (handover_reason IS NOT NULL) = $4) AND ($5::boolean IS NULL OR awaiting_reply = $5)
        """;

    public async Task<List<ContactView>> ListAsync(ContactFilter q, int limit, int offset, CancellationToken ct) =>
        q.RecentFirst && await ListByRecentMessagesAsync(q, limit, offset, ct) is { } recent
            ? recent
            : await ListBySummaryAsync(q, limit, offset, ct);

    /// <summary>
    /// The list read from every contact's summary: oldest contact first, or (the fallback of the recent-first order,
    /// <see cref="ListByRecentMessagesAsync"/>) by each contact's newest message. Costs two index probes per contact.
    /// </summary>
    private async Task<List<ContactView>> ListBySummaryAsync(ContactFilter q, int limit, int offset, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT * FROM ({Summary}) s
            WHERE {Filters}
            ORDER BY CASE WHEN $6 THEN GREATEST(in_at, out_at) END DESC NULLS LAST, created_at, wa_id LIMIT $7 OFFSET $8
            """);
        AddFilters(cmd, q);
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = q.RecentFirst });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        return await ReadSummariesAsync(cmd, ct);
    }

    /// <summary>$1 (now) and the filters $2–$5 of <see cref="Filters"/>.</summary>
    private void AddFilters(NpgsqlCommand cmd, ContactFilter q)
    {
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        cmd.Parameters.Add(new NpgsqlParameter<bool?> { TypedValue = q.OptedOut });
        cmd.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = q.AgentId });
        cmd.Parameters.Add(new NpgsqlParameter<bool?> { TypedValue = q.Handover });
        cmd.Parameters.Add(new NpgsqlParameter<bool?> { TypedValue = q.AwaitingReply });
    }

    public async Task<ContactView?> GetAsync(string waId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"{Summary} WHERE c.wa_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return (await ReadSummariesAsync(cmd, ct)).FirstOrDefault();
    }

    private async Task<List<ContactView>> ReadSummariesAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<ContactView>();
        var now = time.GetUtcNow();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var contact = Read(r);
            var inAt = r.GetNullable<DateTimeOffset>("in_at");
            var outAt = r.GetNullable<DateTimeOffset>("out_at");
            ContactLastMessage? last = outAt is { } o && (inAt is null || o >= inAt)
                ? new("outbound", r.GetOrNull<string>("out_text"), o, r.Get<string>("out_status"), r.GetOrNull<string>("out_author"))
                : inAt is { } i ? new("inbound", r.GetOrNull<string>("in_text") ?? $"[{r.Get<string>("in_type")}]", i, r.Get<string>("in_status"), null) : null;
            var closes = contact.LastInboundAt?.AddHours(outbound.FreeformWindowHours);
            var reason = r.GetOrNull<string>("handover_reason");
            list.Add(contact with
            {
                LastMessage = last, AwaitingReply = r.Get<bool>("awaiting_reply"), WindowClosesAt = closes, WindowOpen = closes is { } c && c > now,
                Handover = reason is null ? HandoverState.None(contact.WaId)
                    : new HandoverState(contact.WaId, true, DbEnum<HandoverReason>.Parse(reason), r.GetNullable<DateTimeOffset>("handover_started_at"),
                        r.GetNullable<DateTimeOffset>("handover_until")),
            });
        }
        return list;
    }

    /// <summary>Sets the opt-out state and/or time zone, creating the contact if it has not written yet.</summary>
    public async Task<ContactView> UpsertAsync(string waId, ContactInput input, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO contacts AS c (wa_id, opted_out, opted_out_at, time_zone)
            VALUES ($1, coalesce($2, false), CASE WHEN $2 THEN now() END, nullif($3, ''))
            ON CONFLICT (wa_id) DO UPDATE SET
                opted_out = coalesce($2, c.opted_out),
                opted_out_at = CASE WHEN $2 IS NULL OR $2 = c.opted_out THEN c.opted_out_at WHEN $2 THEN now() END,
                time_zone = CASE WHEN $3 IS NULL THEN c.time_zone ELSE nullif($3, '') END,
                updated_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<bool?> { TypedValue = input.OptedOut });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = input.TimeZone?.Trim() });
        await cmd.ExecuteNonQueryAsync(ct);
        return (await GetAsync(waId, ct))!;
    }

    /// <summary>Binds a contact to an agent, creating the contact when it has not written yet.</summary>
    public async Task BindAsync(string waId, long agentId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO contacts (wa_id, agent_id) VALUES ($1, $2)
            ON CONFLICT (wa_id) DO UPDATE SET agent_id = EXCLUDED.agent_id, updated_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The contact goes back to the default agent; false when there is no such contact.</summary>
    public async Task<bool> UnbindAsync(string waId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE contacts SET agent_id = NULL, updated_at = now() WHERE wa_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
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

    /// <summary>START: subscribed again, in the same transaction as the answer, so its confirmation may be sent.</summary>
    public static NpgsqlBatchCommand OptInCommand(string waId)
    {
        var cmd = new NpgsqlBatchCommand("UPDATE contacts SET opted_out = false, opted_out_at = NULL, updated_at = now() WHERE wa_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return cmd;
    }

    /// <summary>
    /// The contact as of an inbound message: last_inbound_at opens the 24-hour window (never moves back), the profile
    /// name and identities are kept current. Idempotent, so a re-run of the job changes nothing.
    /// </summary>
    public static NpgsqlBatchCommand TouchCommand(string wamid) => TouchManyCommand([wamid]);

    /// <summary>
    /// <see cref="TouchCommand"/> for the messages of many answers at once (the worker's group commit): one row per
    /// contact (its newest message's time, and the newest phone, user id and profile name a message carried), in wa_id
    /// order (one lock order).
    /// </summary>
    public static NpgsqlBatchCommand TouchManyCommand(IEnumerable<string> wamids)
    {
        // The upsert is the procedure touch_contacts (migration 0071): its plan is kept per server connection.
        var cmd = new NpgsqlBatchCommand("CALL touch_contacts($1)");
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. wamids] });
        return cmd;
    }

    private static ContactView Read(NpgsqlDataReader r) =>
        new(r.Get<string>("wa_id"), r.GetOrNull<string>("profile_name"), r.GetOrNull<string>("phone"),
            r.GetNullable<long>("agent_id"), r.Get<bool>("opted_out"), r.GetNullable<DateTimeOffset>("opted_out_at"),
            r.GetOrNull<string>("time_zone"), r.GetNullable<DateTimeOffset>("last_inbound_at"), r.Get<DateTimeOffset>("created_at"));
}
