using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Npgsql;
using NpgsqlTypes;

namespace MicAi.Core.Inbox;

/// <summary>
/// The inbound_messages table: the dedupe point and source of truth for every message Meta delivered. Storing new
/// messages (a group commit): InboundStoreInsert.cs.
/// </summary>
public sealed partial class InboundStore(NpgsqlDataSource db)
{
    private static readonly string Received = InboundStatus.Received.ToDb();
    private static readonly string Ignored = InboundStatus.Ignored.ToDb();
    private static readonly string Invalid = InboundStatus.Invalid.ToDb();

    /// <summary>The message's outcome (processed, ignored with the reason), for the answer's transaction.</summary>
    public static NpgsqlBatchCommand MarkCommand(string wamid, InboundStatus status, string? error)
    {
        var cmd = new NpgsqlBatchCommand("UPDATE inbound_messages SET status = $2, error = $3, processed_at = now() WHERE wamid = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = wamid });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status.ToDb() });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = error });
        return cmd;
    }

    /// <summary><see cref="MarkCommand"/> for many messages with one outcome and no reason; in wamid order (one lock order).</summary>
    public static NpgsqlBatchCommand MarkManyCommand(IEnumerable<string> wamids, InboundStatus status)
    {
        // UPDATE inbound_messages SET status, error = NULL, processed_at: the procedure mark_inbound (0071).
        var cmd = new NpgsqlBatchCommand("CALL mark_inbound($1, $2)");
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. wamids.Order(StringComparer.Ordinal)] });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status.ToDb() });
        return cmd;
    }

    /// <summary>
    /// Messages stored longer than <paramref name="olderThan"/> ago and still unanswered, oldest first: their job was
    /// lost. A message whose job died for good (a dead job of that type not yet replayed) is left to the operator.
    /// </summary>
    public async Task<List<string>> FindUnansweredAsync(TimeSpan olderThan, string jobType, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(FindUnansweredSql);
        cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = olderThan });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobType });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var found = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) found.Add(r.Get<string>("wamid"));
        return found;
    }

    // Literals again (the states, the handover's reason), as in inbound_waiting's predicate: without them the planner
    // cannot use it and reads every message of the day.
    internal static readonly string UnansweredSql = $"""
        SELECT DISTINCT ON (i.wa_id) i.wa_id, i.wamid, i.type, i.text, i.status, i.error, i.received_at
        FROM inbound_messages i
        WHERE i.received_at > $1 AND i.received_at < $2
          AND (i.status IN ({DbEnum<InboundStatus>.Sql(InboundStatus.Received, InboundStatus.Queued, InboundStatus.Failed)})
               OR (i.status = {DbEnum<InboundStatus>.Sql(InboundStatus.Ignored)} AND i.error = '{HandoverStore.IgnoredReason}'))
          AND NOT EXISTS (SELECT 1 FROM outbound_messages o
                          WHERE o.wa_id = i.wa_id AND o.created_at >= i.received_at AND o.status NOT IN ({DbEnum<Outbox.OutboundStatus>.Sql(Outbox.OutboundStatus.Failed, Outbox.OutboundStatus.Skipped, Outbox.OutboundStatus.Suppressed)}))
        ORDER BY i.wa_id, i.received_at DESC LIMIT $3
        """;

    /// <summary>
    /// Per contact, the latest message received between <paramref name="since"/> and <paramref name="before"/> that
    /// nobody answered: still waiting for the bot (or failed), or held back by a handover, with no message to the
    /// contact after it that went out or may still go out.
    /// </summary>
    public async Task<List<UnansweredMessage>> UnansweredAsync(DateTimeOffset since, DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(UnansweredSql);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var list = new List<UnansweredMessage>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new UnansweredMessage(r.Get<string>("wa_id"), r.Get<string>("wamid"), r.Get<string>("type"), r.GetOrNull<string>("text"),
                r.Get<string>("status"), r.GetOrNull<string>("error"), r.Get<DateTimeOffset>("received_at")));
        return list;
    }

    /// <summary>Rows per status, for the operators' stats.</summary>
    public async Task<Dictionary<string, long>> CountByStatusAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT status, count(*) AS rows FROM inbound_messages GROUP BY status ORDER BY status");
        var counts = new Dictionary<string, long>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) counts[r.Get<string>("status")] = r.Get<long>("rows");
        return counts;
    }

    /// <summary>
    /// The senders of the newest messages, newest first, before <paramref name="cursor"/> (on inbound_by_received_at):
    /// the conversation list's recent-first walk (Agents/ContactStoreRecent.cs).
    /// </summary>
    public Task<List<Mention>> SendersBackInTimeAsync(TimeCursor? cursor, int limit, CancellationToken ct) => TimeWalk.ReadAsync(db,
        "SELECT wa_id, received_at AS at, wamid AS key FROM inbound_messages ORDER BY received_at DESC, wamid DESC LIMIT $1",
        """
        SELECT wa_id, received_at AS at, wamid AS key FROM inbound_messages
        WHERE received_at <= $2 AND (received_at, wamid) < ($2, $3) ORDER BY received_at DESC, wamid DESC LIMIT $1
        """, cursor, limit, ct);

    // The states are literals, as in the partial index inbound_waiting (0061), so the planner uses it.
    internal static readonly string FindUnansweredSql = $"""
        SELECT wamid FROM inbound_messages i
        WHERE status IN ({DbEnum<InboundStatus>.Sql(InboundStatus.Received, InboundStatus.Queued)}) AND received_at < now() - $1
          AND NOT EXISTS (SELECT 1 FROM dead_jobs d WHERE d.job_type = $2 AND d.payload->>'Key' = i.wamid AND d.replayed_at IS NULL)
        ORDER BY received_at LIMIT $3
        """;

}

/// <summary>An inbound message nobody answered (the attention list).</summary>
public sealed record UnansweredMessage(string WaId, string Wamid, string Type, string? Text, string Status, string? Reason, DateTimeOffset ReceivedAt);
