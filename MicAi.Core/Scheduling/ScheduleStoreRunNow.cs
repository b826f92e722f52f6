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
        await using (var select = new NpgsqlCommand($"SELECT {DueColumns} FROM schedules WHERE id = $1 FOR UPDATE", connection, tx))
        {
            select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            await using var r = await select.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct)) schedule = ReadDue(r, now);
        }
        if (schedule is null) return null;

        var key = $"schedule:{id}:run:{now.ToUnixTimeMilliseconds()}";
        await using var batch = new NpgsqlBatch(connection, tx);
        AddOccurrence(batch, schedule, key);
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return new ScheduleRun(id, key, now);
    }
}
