using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Npgsql;
using static MicAi.Core.Outbox.OutboundStatus;

namespace MicAi.Core.Outbox;

/// <summary>The ledger beyond the send path: delivery statuses, the sweeper's questions, replays, what operators read.</summary>
public sealed partial class OutboundLedger
{
    /// <summary>SQL rank of a ledger status; a delivery status applies only when it ranks higher than the row's.</summary>
    private static readonly string RankSql =
        $"CASE {{0}} WHEN {DbEnum<OutboundStatus>.Sql(Sent)} THEN 1 WHEN {DbEnum<OutboundStatus>.Sql(Delivered)} THEN 2 " +
        $"WHEN {DbEnum<OutboundStatus>.Sql(Read)} THEN 3 WHEN {DbEnum<OutboundStatus>.Sql(Failed)} THEN 4 ELSE 0 END";

    private static readonly string ApplyStatusSql = $"""
        UPDATE outbound_messages
        SET status = $2, provider_message_id = COALESCE(provider_message_id, $1),
            error_code = COALESCE($4, error_code), error_text = COALESCE($5, error_text),
            sent_at = COALESCE(sent_at, $6), updated_at = now(),
            delivered_at = CASE WHEN $2 = {DbEnum<OutboundStatus>.Sql(Delivered)} THEN COALESCE(delivered_at, $6) ELSE delivered_at END,
            read_at = CASE WHEN $2 = {DbEnum<OutboundStatus>.Sql(Read)} THEN COALESCE(read_at, $6) ELSE read_at END,
            failed_at = CASE WHEN $2 = {DbEnum<OutboundStatus>.Sql(Failed)} THEN COALESCE(failed_at, $6) ELSE failed_at END
        WHERE (provider_message_id = $1 OR idempotency_key = $3)
          AND {string.Format(RankSql, "$2")} > {string.Format(RankSql, "status")}
        """;

    /// <summary>
    /// Applies delivery statuses from Meta. A status only moves forward (sent → delivered → read; failed is terminal),
    /// so late or repeated webhooks are harmless. Rows are matched by the provider message id or by our idempotency
    /// key echoed back in biz_opaque_callback_data, which also catches a status that arrives before the send response
    /// was recorded. Statuses for messages we do not know, or that the ledger does not track, are skipped.
    /// </summary>
    public async Task<int> ApplyDeliveryStatusesAsync(IReadOnlyList<StatusUpdate> statuses, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        foreach (var s in statuses)
        {
            if (OutboundStatuses.FromDelivery(s.Status) is not { } status) continue;
            var command = new NpgsqlBatchCommand(ApplyStatusSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = s.ProviderMessageId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status.ToDb() });
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = s.CallbackData });
            command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = s.ErrorCode });
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = s.ErrorTitle });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = s.Timestamp.UtcDateTime });
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count == 0) return 0;
        return await batch.ExecuteNonQueryAsync(ct);
    }

    private static readonly string MarkAbandonedSql = $"""
        UPDATE outbound_messages SET status = {DbEnum<OutboundStatus>.Sql(Unknown)}, updated_at = now(),
            error_text = 'the worker stopped during the send; the outcome is known only from a status webhook'
        WHERE status = {DbEnum<OutboundStatus>.Sql(Sending)} AND updated_at < now() - $1
        """;

    /// <summary>
    /// Rows still 'sending' longer than <paramref name="visibilityTimeout"/> lost their worker during the Graph call:
    /// Meta may or may not have the message. Re-sending could double it, so they become 'unknown' until a status
    /// webhook (matched by biz_opaque_callback_data) says sent, delivered, read or failed.
    /// </summary>
    public async Task<int> MarkAbandonedSendsUnknownAsync(TimeSpan visibilityTimeout, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(MarkAbandonedSql);
        cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = visibilityTimeout });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    // Rows whose job died for good (a dead job not yet replayed: a send job for the row, or the inbound job whose reply it is) are left to the operator.
    private static readonly string FindLostSql = $"""
        SELECT idempotency_key FROM outbound_messages o
        WHERE ((status = {DbEnum<OutboundStatus>.Sql(Pending)} AND updated_at < now() - $1)
               OR (status = {DbEnum<OutboundStatus>.Sql(Retrying)} AND updated_at < now() - $2))
          AND NOT EXISTS (SELECT 1 FROM dead_jobs d WHERE d.job_type = $3 AND d.payload->>'Key' = o.idempotency_key AND d.replayed_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM dead_jobs d WHERE d.job_type = $4 AND $5 || (d.payload->>'Key') = o.idempotency_key AND d.replayed_at IS NULL)
        ORDER BY updated_at LIMIT $6
        """;

    /// <summary>
    /// Rows waiting to be sent whose job was lost: pending longer than <paramref name="pendingFor"/>, or retrying longer
    /// than <paramref name="retryingFor"/> (a retry waits in the delayed set up to the backoff cap first). Oldest first.
    /// </summary>
    public async Task<List<string>> FindLostAsync(TimeSpan pendingFor, TimeSpan retryingFor, string sendJobType, string inboundJobType, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(FindLostSql);
        cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = pendingFor });
        cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = retryingFor });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sendJobType });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = inboundJobType });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = OutboundDraft.ReplyPrefix });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var found = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) found.Add(r.Get<string>("idempotency_key"));
        return found;
    }

    private static readonly string ResetForReplaySql = $"""
        UPDATE outbound_messages SET status = {DbEnum<OutboundStatus>.Sql(Pending)}, error_code = NULL, error_text = NULL, updated_at = now()
        WHERE idempotency_key = $1 AND status IN ({DbEnum<OutboundStatus>.Sql(Failed, Retrying)})
        """;

    /// <summary>
    /// A replayed dead job may send its row again: failed or retrying goes back to pending. 'unknown' and 'sending'
    /// rows are left alone, they may have reached Meta already. Runs in the replay's transaction.
    /// </summary>
    public static NpgsqlBatchCommand ResetForReplayCommand(string key)
    {
        var cmd = new NpgsqlBatchCommand(ResetForReplaySql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return cmd;
    }

    /// <summary>Newest first, filtered by status and/or recipient.</summary>
    public async Task<List<OutboundView>> ListAsync(OutboundStatus? status, string? waId, string? wamid, int limit, int offset, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {ViewColumns} FROM outbound_messages
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR wa_id = $2) AND ($5::text IS NULL OR provider_message_id = $5)
            ORDER BY created_at DESC, idempotency_key LIMIT $3 OFFSET $4
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = status?.ToDb() });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = wamid });
        return await ReadViewsAsync(cmd, ct);
    }

    /// <summary>The columns <see cref="ReadViewsAsync"/> reads.</summary>
    private const string ViewColumns = """
        idempotency_key, wa_id, kind, body, template_name, status, attempts, provider_message_id, error_code, error_text,
        created_at, updated_at, sent_at, author, delivered_at, read_at, failed_at, resend_of, request_hash
        """;

    private static async Task<List<OutboundView>> ReadViewsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var items = new List<OutboundView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            items.Add(new OutboundView(r.Get<string>("idempotency_key"), r.Get<string>("wa_id"), r.Get<string>("kind"), r.GetOrNull<string>("body"),
                r.GetOrNull<string>("template_name"), DbEnum<OutboundStatus>.Parse(r.Get<string>("status")), r.Get<int>("attempts"),
                r.GetOrNull<string>("provider_message_id"), r.GetNullable<int>("error_code"), r.GetOrNull<string>("error_text"),
                r.Get<DateTimeOffset>("created_at"), r.Get<DateTimeOffset>("updated_at"), r.GetNullable<DateTimeOffset>("sent_at"))
            {
                Author = r.GetOrNull<string>("author"), DeliveredAt = r.GetNullable<DateTimeOffset>("delivered_at"),
                ReadAt = r.GetNullable<DateTimeOffset>("read_at"), FailedAt = r.GetNullable<DateTimeOffset>("failed_at"),
                ResendOf = r.GetOrNull<string>("resend_of"), RequestHash = r.GetOrNull<string>("request_hash"),
            });
        return items;
    }

    /// <summary>
    /// Rows per status, all of them and those created since <paramref name="recentSince"/> (the console's "sends in
    /// the last hour"), for the operators' stats: one pass over the ledger for both (a status with no recent rows is
    /// left out of Recent, as a GROUP BY of the recent rows alone would).
    /// </summary>
    public async Task<(Dictionary<string, long> All, Dictionary<string, long> Recent)> CountByStatusAsync(DateTimeOffset recentSince, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT status, count(*) AS rows, count(*) FILTER (WHERE created_at >= $1) AS recent
            FROM outbound_messages GROUP BY status ORDER BY status
            """);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = recentSince });
        var (all, recent) = (new Dictionary<string, long>(), new Dictionary<string, long>());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var status = r.Get<string>("status");
            all[status] = r.Get<long>("rows");
            if (r.Get<long>("recent") is > 0 and var n) recent[status] = n;
        }
        return (all, recent);
    }
}

/// <summary>A ledger row as operators see it (GET /admin/outbound/messages).</summary>
public sealed record OutboundView(
    string IdempotencyKey, string WaId, string Kind, string? Body, string? TemplateName, OutboundStatus Status, int Attempts,
    string? ProviderMessageId, int? ErrorCode, string? ErrorText, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt)
{
    /// <summary>Who wrote it: rule, tool:…, llm, fallback, help, handover, opt_out, operator, schedule, remind, business_app (null: before this was recorded).</summary>
    public string? Author { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public DateTimeOffset? ReadAt { get; init; }

    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>The 'unknown' row an operator resent with this one.</summary>
    public string? ResendOf { get; init; }

    /// <summary>Operator sends: the hash of the request that made the row (Idempotency-Key checks; not shown).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? RequestHash { get; init; }
}

/// <summary>A page of the ledger: next_offset is null on the last page.</summary>
public sealed record OutboundPage(OutboundView[] Items, int Limit, int Offset, int? NextOffset);
