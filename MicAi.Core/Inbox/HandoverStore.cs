using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Npgsql;

namespace MicAi.Core.Inbox;

/// <summary>Who started a handover (column <c>reason</c>).</summary>
public enum HandoverReason
{
    Operator,
    Customer,
    BusinessApp,
}

/// <summary>A contact's handover as operators see it: while active the bot sends nothing to the contact.</summary>
public sealed record HandoverState(string WaId, bool Active, HandoverReason? Reason, DateTimeOffset? StartedAt, DateTimeOffset? Until)
{
    public static HandoverState None(string waId) => new(waId, false, null, null, null);
}

/// <summary>
/// The handovers table: one row per contact a person is answering. A row is active while <c>until</c> is null or
/// still ahead; released means deleted. "Now" is always a parameter (the injected clock), never the database's.
/// </summary>
public sealed class HandoverStore(NpgsqlDataSource db)
{
    /// <summary>The inbound error text of a message stored but not answered because a person is answering.</summary>
    public const string IgnoredReason = "handover active: a person is answering";

    /// <summary>
    /// Starts or extends a handover the customer or the Business app asked for, in the caller's transaction. An active
    /// handover is never shortened (an operator's open-ended one stays open-ended); an expired one starts afresh.
    /// </summary>
    public static NpgsqlBatchCommand StartCommand(string waId, HandoverReason reason, DateTimeOffset now, TimeSpan? duration)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO handovers AS h (wa_id, reason, started_at, until) VALUES ($1, $2, $3, $4)
            ON CONFLICT (wa_id) DO UPDATE SET
                started_at = CASE WHEN h.until IS NOT NULL AND h.until <= $3 THEN $3 ELSE h.started_at END,
                reason = CASE WHEN h.until IS NOT NULL AND h.until <= $3 THEN EXCLUDED.reason ELSE h.reason END,
                until = CASE WHEN h.until IS NULL AND h.started_at <= $3 THEN NULL
                             WHEN h.until <= $3 OR EXCLUDED.until IS NULL THEN EXCLUDED.until
                             ELSE GREATEST(h.until, EXCLUDED.until) END,
                updated_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reason.ToDb() });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = now + duration });
        return cmd;
    }

    /// <summary>
    /// Messages a person sent from the WhatsApp Business app: each is recorded in the ledger (nothing is sent) and hands
    /// its contact over for <paramref name="duration"/>, in one transaction.
    /// </summary>
    public async Task RecordEchoesAsync(IReadOnlyList<MessageEcho> echoes, DateTimeOffset now, TimeSpan? duration, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        foreach (var echo in echoes)
        {
            batch.BatchCommands.Add(OutboundLedger.EchoCommand(echo));
            batch.BatchCommands.Add(StartCommand(echo.WaId, HandoverReason.BusinessApp, now, duration));
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>An operator's decision, exactly as given: start (until <paramref name="until"/>, or until released) or release.</summary>
    public async Task<HandoverState> SetAsync(string waId, bool active, DateTimeOffset now, DateTimeOffset? until, CancellationToken ct)
    {
        if (!active)
        {
            await using var release = db.CreateCommand("DELETE FROM handovers WHERE wa_id = $1");
            release.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
            await release.ExecuteNonQueryAsync(ct);
            return HandoverState.None(waId);
        }
        await using var cmd = db.CreateCommand("""
            INSERT INTO handovers AS h (wa_id, reason, started_at, until) VALUES ($1, $2, $3, $4)
            ON CONFLICT (wa_id) DO UPDATE SET reason = EXCLUDED.reason, until = EXCLUDED.until, updated_at = now(),
                started_at = CASE WHEN h.until IS NOT NULL AND h.until <= $3 THEN $3 ELSE h.started_at END
            RETURNING wa_id, reason, started_at, until
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = HandoverReason.Operator.ToDb() });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = until });
        return (await ReadAsync(cmd, now, ct)).Single();
    }

    public async Task<HandoverState> GetAsync(string waId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT wa_id, reason, started_at, until FROM handovers WHERE wa_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return (await ReadAsync(cmd, now, ct)).FirstOrDefault() ?? HandoverState.None(waId);
    }

    private static readonly string WaitingSql = $"""
        SELECT h.wa_id, h.reason, h.started_at, h.until FROM handovers h
        WHERE h.reason = {DbEnum<HandoverReason>.Sql(HandoverReason.Customer)} AND (h.until IS NULL OR h.until > $1)
          AND NOT EXISTS (SELECT 1 FROM outbound_messages o
                          WHERE o.wa_id = h.wa_id AND o.created_at >= h.started_at AND o.author = ANY ($3))
        ORDER BY h.started_at LIMIT $2
        """;

    /// <summary>Handovers the customer asked for that no person has answered yet (no operator or Business app message since), oldest first.</summary>
    public async Task<List<HandoverState>> WaitingAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(WaitingSql);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = OutboundAuthors.People });
        return await ReadAsync(cmd, now, ct);
    }

    private static async Task<List<HandoverState>> ReadAsync(NpgsqlCommand cmd, DateTimeOffset now, CancellationToken ct)
    {
        var list = new List<HandoverState>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var until = r.GetNullable<DateTimeOffset>("until");
            var waId = r.Get<string>("wa_id");
            list.Add(until is { } u && u <= now ? HandoverState.None(waId)
                : new(waId, true, DbEnum<HandoverReason>.Parse(r.Get<string>("reason")), r.Get<DateTimeOffset>("started_at"), until));
        }
        return list;
    }
}
