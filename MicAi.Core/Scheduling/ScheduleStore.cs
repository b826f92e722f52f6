using MicAi.Core.Outbox;
using MicAi.Core.WhatsApp;
using Npgsql;

namespace MicAi.Core.Scheduling;

/// <summary>A schedule row as the tick needs it.</summary>
public sealed record DueSchedule(
    long Id, string WaId, string MessageText, string? TemplateName, string? TemplateLanguage,
    int? IntervalMinutes, string? Cron, string TimeZone, DateTimeOffset Occurrence, bool OneOff);

public sealed class ScheduleStore(NpgsqlDataSource db, WhatsAppSettings whatsApp)
{
    /// <summary>
    /// Claims due schedules and turns each occurrence into one ledger row, in one transaction. Rows are locked with
    /// SKIP LOCKED and each occurrence is claimed by inserting a schedule_runs row, so even two active schedulers
    /// cannot send an occurrence twice. Missed occurrences after downtime run once, not N times (misfire policy).
    /// </summary>
    public async Task<List<string>> ClaimDueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        var created = new List<string>();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = new List<DueSchedule>();
        await using (var select = new NpgsqlCommand("""
            SELECT id, wa_id, message_text, template_name, template_language, interval_minutes, cron, time_zone, next_run_at, one_off
            FROM schedules WHERE enabled AND next_run_at <= $1
            ORDER BY next_run_at LIMIT $2 FOR UPDATE SKIP LOCKED
            """, connection, tx))
        {
            select.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            await using var r = await select.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                due.Add(new DueSchedule(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetString(6),
                    r.GetString(7), r.GetFieldValue<DateTimeOffset>(8), r.GetBoolean(9)));
        }
        if (due.Count == 0) return created;

        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var s in due)
        {
            var key = OutboundDraft.ScheduleKey(s.Id, s.Occurrence);
            var next = s.OneOff ? null : Recurrence.NextAfter(s, now);
            var claim = new NpgsqlBatchCommand("INSERT INTO schedule_runs (schedule_id, occurrence, idempotency_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
            claim.Parameters.Add(new NpgsqlParameter<long> { TypedValue = s.Id });
            claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = s.Occurrence });
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            batch.BatchCommands.Add(claim);
            batch.BatchCommands.Add(OutboundLedger.InsertCommand(new OutboundDraft(key, s.WaId, whatsApp.PhoneNumberId,
                "text", s.MessageText, TemplateName: s.TemplateName, TemplateLanguage: s.TemplateLanguage)));
            var advance = new NpgsqlBatchCommand("""
                UPDATE schedules SET next_run_at = $2, last_run_at = $3, enabled = enabled AND $2 IS NOT NULL, updated_at = now()
                WHERE id = $1
                """);
            advance.Parameters.Add(new NpgsqlParameter<long> { TypedValue = s.Id });
            advance.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = next });
            advance.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = s.Occurrence });
            batch.BatchCommands.Add(advance);
            created.Add(key);
        }
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return created;
    }
}
