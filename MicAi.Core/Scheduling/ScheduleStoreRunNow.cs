using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Scheduling;

/// <summary>Running a schedule now, outside its recurrence (POST /admin/schedules/{id}/run).</summary>
public sealed partial class ScheduleStore
{
    /// <summary>
    /// Claims an extra occurrence at <paramref name="now"/> (a schedule_runs row, key <c>schedule:{id}:run:{unix ms}</c>)
    /// and stores its ledger row, in one transaction; next_run_at is left as it is. Null when the schedule does not exist.
    /// Disabled schedules run too: running one now is an operator's explicit choice.
    /// </summary>
    public async Task<ScheduleRun?> RunNowAsync(long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        DueSchedule? schedule = null;
        await using (var select = new NpgsqlCommand("""
            SELECT id, wa_id, message_text, template_name, template_language, interval_minutes, cron, time_zone, one_off,
                   template_body_params::text AS template_body_params, template_header_params::text AS template_header_params, origin
            FROM schedules WHERE id = $1 FOR UPDATE
            """, connection, tx))
        {
            select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            await using var r = await select.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct))
                schedule = new DueSchedule(id, r.Get<string>("wa_id"), r.Get<string>("message_text"), r.GetOrNull<string>("template_name"),
                    r.GetOrNull<string>("template_language"), r.GetNullable<int>("interval_minutes"), r.GetOrNull<string>("cron"),
                    r.Get<string>("time_zone"), now, r.Get<bool>("one_off"))
                {
                    BodyParams = r.GetOrNull<string>("template_body_params"), HeaderParams = r.GetOrNull<string>("template_header_params"),
                    Origin = DbEnum<ScheduleOrigin>.Parse(r.Get<string>("origin")),
                };
        }
        if (schedule is null) return null;

        var key = $"schedule:{id}:run:{now.ToUnixTimeMilliseconds()}";
        await using var batch = new NpgsqlBatch(connection, tx);
        var claim = new NpgsqlBatchCommand("INSERT INTO schedule_runs (schedule_id, occurrence, idempotency_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        claim.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        batch.BatchCommands.Add(claim);
        batch.BatchCommands.Add(OutboundLedger.InsertCommand(schedule.Draft(key, whatsApp.PhoneNumberId)));
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return new ScheduleRun(id, key, now);
    }
}
