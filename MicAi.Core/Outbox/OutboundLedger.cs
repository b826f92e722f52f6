using MicAi.Core.Storage;
using Npgsql;
using NpgsqlTypes;
using static MicAi.Core.Outbox.OutboundStatus;

namespace MicAi.Core.Outbox;

/// <summary>
/// The outbound_messages table: one row per message we mean to send, keyed by an idempotency key, so a job that
/// runs twice never sends twice. Only the worker that moves a row to 'sending' may call the Graph API for it. Every
/// statement on the table is here; this file holds the send path, OutboundLedgerSentMarks.cs the group commit of
/// sent marks, OutboundLedgerUpkeep.cs the rest.
/// </summary>
public sealed partial class OutboundLedger(NpgsqlDataSource db)
{
    private static readonly string PendingText = Pending.ToDb(), SendingText = Sending.ToDb();

    /// <summary>
    /// Stores a draft 'pending', or already claimed ('sending', attempt 1) when the caller holds its slot
    /// (<see cref="OutboundSender.TryReserveAsync"/>). An existing row is left alone: RecordsAffected 0 means not ours.
    /// </summary>
    public static NpgsqlBatchCommand InsertCommand(OutboundDraft d, bool claimed = false)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO outbound_messages (idempotency_key, wa_id, phone_number_id, kind, body, context_message_id,
                                           template_name, template_language, template_params, status, attempts,
                                           author, request_hash, resend_of, content)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15::jsonb) ON CONFLICT (idempotency_key) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.IdempotencyKey });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.WaId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.PhoneNumberId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Kind });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = d.Body });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = d.ContextMessageId });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = d.TemplateName });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = d.TemplateLanguage });
        cmd.Parameters.Add(new NpgsqlParameter<string?>
        {
            TypedValue = TemplateParamsColumn.Write(d),
            NpgsqlDbType = NpgsqlDbType.Text,
        });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = claimed ? SendingText : PendingText });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = claimed ? 1 : 0 });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = d.Author });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = d.RequestHash });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = d.ResendOf });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = d.Content, NpgsqlDbType = NpgsqlDbType.Text });
        return cmd;
    }

    /// <summary>
    /// <see cref="InsertCommand"/> for many drafts in one statement (the answers of a worker's jobs that finish
    /// together); returns the keys it inserted. Rows go in key order, so two such statements lock keys in one order.
    /// </summary>
    public static NpgsqlBatchCommand InsertManyCommand(IReadOnlyList<(OutboundDraft Draft, bool Claimed)> drafts)
    {
        var rows = drafts.OrderBy(d => d.Draft.IdempotencyKey, StringComparer.Ordinal).ToArray();
        // INSERT INTO outbound_messages … ON CONFLICT DO NOTHING RETURNING idempotency_key: the function
        // insert_outbound (migration 0071), whose plan Postgres keeps per server connection.
        var cmd = new NpgsqlBatchCommand("""
            SELECT idempotency_key FROM insert_outbound($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) AS k(idempotency_key)
            """);
        void Add(Func<(OutboundDraft Draft, bool Claimed), string?> pick) =>
            cmd.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(pick)] });
        Add(r => r.Draft.IdempotencyKey);
        Add(r => r.Draft.WaId);
        Add(r => r.Draft.PhoneNumberId);
        Add(r => r.Draft.Kind);
        Add(r => r.Draft.Body);
        Add(r => r.Draft.ContextMessageId);
        Add(r => r.Draft.TemplateName);
        Add(r => r.Draft.TemplateLanguage);
        Add(r => TemplateParamsColumn.Write(r.Draft));
        Add(r => r.Claimed ? SendingText : PendingText);
        cmd.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. rows.Select(r => r.Claimed ? 1 : 0)] });
        Add(r => r.Draft.Author);
        Add(r => r.Draft.RequestHash);
        Add(r => r.Draft.ResendOf);
        Add(r => r.Draft.Content);
        return cmd;
    }

    public async Task InsertAsync(OutboundDraft draft, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(InsertCommand(draft));
        await batch.ExecuteNonQueryAsync(ct);
    }

    // What the send-time gates need: the row, and its contact's window and opt-out.
    private const string SendColumns = """
        wa_id, phone_number_id, kind, body, context_message_id, template_name, template_language,
        template_params::text AS template_params, content::text AS content, attempts,
        (SELECT c.last_inbound_at FROM contacts c WHERE c.wa_id = o.wa_id) AS last_inbound_at,
        coalesce((SELECT c.opted_out FROM contacts c WHERE c.wa_id = o.wa_id), false) AS opted_out
        """;

    private static readonly string Sendable = DbEnum<OutboundStatus>.Sql(Pending, Retrying);

    private static readonly string PeekSql =
        $"SELECT {SendColumns} FROM outbound_messages o WHERE idempotency_key = $1 AND status IN ({Sendable})";

    private static readonly string ClaimSql = $"""
        UPDATE outbound_messages o SET status = {DbEnum<OutboundStatus>.Sql(Sending)}, attempts = attempts + 1, updated_at = now()
        WHERE idempotency_key = $1 AND status IN ({Sendable})
        RETURNING {SendColumns}
        """;

    /// <summary>Reads a sendable row without claiming it (the gates and pacing run on this), or null.</summary>
    public Task<ClaimedSend?> PeekAsync(string key, CancellationToken ct) => ReadSendAsync(PeekSql, key, ct);

    /// <summary>
    /// Moves a sendable row to 'sending': the fence, taken just before the Graph call. Null when it is already done
    /// or another worker holds it. 'unknown' (a send that may have reached Meta) is never claimed again: re-sending
    /// could deliver it twice. Status webhooks carrying our key settle it; an operator sees the rest in the ledger.
    /// </summary>
    public Task<ClaimedSend?> ClaimAsync(string key, CancellationToken ct) => ReadSendAsync(ClaimSql, key, ct);

    private async Task<ClaimedSend?> ReadSendAsync(string sql, string key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new ClaimedSend(key, r.Get<string>("wa_id"), r.Get<string>("phone_number_id"), r.Get<string>("kind"),
            r.GetOrNull<string>("body"), r.GetOrNull<string>("context_message_id"), r.GetOrNull<string>("template_name"),
            r.GetOrNull<string>("template_language"), TemplateParamsColumn.Body(r.GetOrNull<string>("template_params")),
            r.Get<int>("attempts"), r.GetNullable<DateTimeOffset>("last_inbound_at"), r.Get<bool>("opted_out"))
        {
            Content = r.GetOrNull<string>("content"),
            Template = TemplateParamsColumn.Template(r.GetOrNull<string>("template_params")),
        };
    }

    /// <summary>
    /// The send responses of one or more rows: <see cref="MarkSentAsync"/> and its group commit. The UPDATE is the
    /// procedure mark_sent (migration 0071): sending, unknown, retrying and pending become sent, a row a status webhook
    /// moved further keeps its status; its plan is kept per server connection.
    /// </summary>
    private const string MarkSentSql = "CALL mark_sent($1, $2, $3, $4, $5)";

    private async Task<bool[]> WriteSentAsync(IReadOnlyList<SentMark> marks)
    {
        await using var cmd = db.CreateCommand(MarkSentSql);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. marks.Select(m => m.Key)] });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. marks.Select(m => m.ProviderId)] });
        cmd.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. marks.Select(m => m.AsTemplate?.Kind)] });
        cmd.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. marks.Select(m => m.AsTemplate?.TemplateName)] });
        cmd.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. marks.Select(m => m.AsTemplate?.TemplateLanguage)] });
        await cmd.ExecuteNonQueryAsync();
        return new bool[marks.Count];
    }

    /// <summary>The keys of a split message in send order: the base key, then base#2, base#3 …</summary>
    public async Task<IReadOnlyList<string>> PartKeysAsync(string baseKey, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT idempotency_key FROM outbound_messages
            WHERE idempotency_key = $1 OR (idempotency_key LIKE $2 AND substr(idempotency_key, length($1) + 2) ~ '^[0-9]+$')
            ORDER BY CASE WHEN idempotency_key = $1 THEN 1 ELSE substr(idempotency_key, length($1) + 2)::int END
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = baseKey });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = EscapeLike(baseKey) + "#%" });
        var keys = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) keys.Add(r.Get<string>("idempotency_key"));
        return keys;
    }

    private static string EscapeLike(string s) => s.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private static readonly string FinishSql = $"""
        UPDATE outbound_messages SET status = $2, error_code = $3, error_text = $4, updated_at = now()
        WHERE idempotency_key = $1 AND status = {DbEnum<OutboundStatus>.Sql(Sending)}
        """;

    /// <summary>Ends a claimed send without a provider id: suppressed, skipped, failed, unknown, or back to retrying.</summary>
    public async Task FinishAsync(string key, OutboundStatus status, int? errorCode, string? errorText, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(FinishSql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status.ToDb() });
        cmd.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = errorCode });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = errorText });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
