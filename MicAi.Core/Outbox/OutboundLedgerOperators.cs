using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Npgsql;
using static MicAi.Core.Outbox.OutboundStatus;

namespace MicAi.Core.Outbox;

/// <summary>What an operator's send request found in the ledger: the row it made, or the row an earlier request with its key made.</summary>
public sealed record OperatorInsert(OutboundView Row, bool Inserted, string? RequestHash);

/// <summary>The ledger's statements for people: operator sends, Business app echoes, resolving unknown sends, the attention list.</summary>
public sealed partial class OutboundLedger
{
    /// <summary>
    /// Stores an operator's draft (pending) unless its idempotency key exists; either way returns the key's row and
    /// whether this call made it, with the hash of the request that made it.
    /// </summary>
    public async Task<OperatorInsert> InsertOperatorAsync(OutboundDraft draft, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        var insert = InsertCommand(draft);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(ct);
        var (row, hash) = await GetWithHashAsync(draft.IdempotencyKey, ct);
        return new OperatorInsert(row!, insert.RecordsAffected == 1, hash);
    }

    public async Task<OutboundView?> GetAsync(string key, CancellationToken ct) => (await GetWithHashAsync(key, ct)).Row;

    private async Task<(OutboundView? Row, string? Hash)> GetWithHashAsync(string key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {ViewColumns} FROM outbound_messages WHERE idempotency_key = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        var row = (await ReadViewsAsync(cmd, ct)).FirstOrDefault();
        return (row, row?.RequestHash);
    }

    /// <summary>
    /// A message a person sent from the WhatsApp Business app (coexistence echo): recorded as sent, authored by the
    /// Business app, keyed by its wamid so a redelivered echo is stored once. Nothing is sent.
    /// </summary>
    public static NpgsqlBatchCommand EchoCommand(MessageEcho echo)
    {
        var cmd = new NpgsqlBatchCommand($"""
            INSERT INTO outbound_messages (idempotency_key, wa_id, phone_number_id, kind, body, status, provider_message_id, sent_at, author)
            VALUES ($1, $2, $3, 'text', $4, {DbEnum<OutboundStatus>.Sql(Sent)}, $5, $6, $7)
            ON CONFLICT (idempotency_key) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "echo:" + echo.Wamid });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = echo.WaId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = echo.PhoneNumberId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = echo.Text ?? $"[{echo.Type}]" });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = echo.Wamid });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = echo.Timestamp });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = OutboundAuthors.BusinessApp });
        return cmd;
    }

    private static readonly string MarkUnknownFailedSql = $"""
        UPDATE outbound_messages SET status = {DbEnum<OutboundStatus>.Sql(Failed)}, failed_at = now(), updated_at = now(),
            error_text = 'marked failed by an operator (the outcome was unknown)'
        WHERE idempotency_key = $1 AND status = {DbEnum<OutboundStatus>.Sql(Unknown)}
        """;

    /// <summary>An operator decides an 'unknown' send did not arrive: it becomes 'failed'. False when the row is not 'unknown'.</summary>
    public async Task<bool> MarkUnknownFailedAsync(string key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(MarkUnknownFailedSql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The resend of an 'unknown' row, if an operator already made one.</summary>
    public async Task<OutboundView?> ResendOfAsync(string key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {ViewColumns} FROM outbound_messages WHERE resend_of = $1 LIMIT 1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return (await ReadViewsAsync(cmd, ct)).FirstOrDefault();
    }

    /// <summary>A row as the draft it was made from (for an operator's resend), or null.</summary>
    public async Task<OutboundDraft?> DraftOfAsync(string key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT wa_id, phone_number_id, kind, body, context_message_id, template_name, template_language,
                   template_params::text AS template_params, content::text AS content
            FROM outbound_messages WHERE idempotency_key = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var parameters = r.GetOrNull<string>("template_params");
        return new OutboundDraft(key, r.Get<string>("wa_id"), r.Get<string>("phone_number_id"), r.Get<string>("kind"), r.GetOrNull<string>("body"),
            r.GetOrNull<string>("context_message_id"), r.GetOrNull<string>("template_name"), r.GetOrNull<string>("template_language"),
            TemplateParamsColumn.Body(parameters))
        { Content = r.GetOrNull<string>("content"), Template = TemplateParamsColumn.Template(parameters) };
    }

    /// <summary>
    /// The recipients of the newest ledger rows, newest first, before <paramref name="cursor"/> (on outbound_by_created,
    /// whose ties run by key ascending): the conversation list's recent-first walk (Agents/ContactStoreRecent.cs).
    /// </summary>
    public Task<List<Mention>> RecipientsBackInTimeAsync(TimeCursor? cursor, int limit, CancellationToken ct) => TimeWalk.ReadAsync(db,
        "SELECT wa_id, created_at AS at, idempotency_key AS key FROM outbound_messages ORDER BY created_at DESC, idempotency_key LIMIT $1",
        """
        SELECT wa_id, created_at AS at, idempotency_key AS key FROM outbound_messages
        WHERE created_at <= $2 AND NOT (created_at = $2 AND idempotency_key <= $3) ORDER BY created_at DESC, idempotency_key LIMIT $1
        """, cursor, limit, ct);

    private static readonly string AttentionSql = $"""
        SELECT {ViewColumns} FROM outbound_messages o
        WHERE ((status = {DbEnum<OutboundStatus>.Sql(Unknown)} AND updated_at < $1)
               OR (status = {DbEnum<OutboundStatus>.Sql(Failed)} AND updated_at > $2))
          AND NOT EXISTS (SELECT 1 FROM outbound_messages r WHERE r.resend_of = o.idempotency_key)
        ORDER BY updated_at DESC LIMIT $3
        """;

    /// <summary>
    /// Sends an operator should look at: 'unknown' since before <paramref name="unknownBefore"/> (not resent yet) and
    /// 'failed' since <paramref name="failedSince"/>, most recent first.
    /// </summary>
    public async Task<List<OutboundView>> NeedingAttentionAsync(DateTimeOffset unknownBefore, DateTimeOffset failedSince, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(AttentionSql);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = unknownBefore });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = failedSince });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadViewsAsync(cmd, ct);
    }
}
