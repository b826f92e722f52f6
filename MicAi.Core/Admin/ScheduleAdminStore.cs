using MicAi.Core.Scheduling;
using Npgsql;

namespace MicAi.Core.Admin;

/// <summary>SQL behind the schedule operations. Views carry the next five occurrences.</summary>
public sealed class ScheduleAdminStore(NpgsqlDataSource db)
{
    public const int Upcoming = 5;

    private const string Columns = """
        id, wa_id, agent_id, message_text, template_name, template_language, cron, interval_minutes, one_off, time_zone,
        next_run_at, last_run_at, enabled, origin
        """;

    public async Task<List<ScheduleView>> ListAsync(string? waId, int limit, int offset, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {Columns} FROM schedules WHERE ($1::text IS NULL OR wa_id = $1) ORDER BY id LIMIT $2 OFFSET $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        return await ReadAllAsync(cmd, ct);
    }

    public async Task<ScheduleView?> GetAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM schedules WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return (await ReadAllAsync(cmd, ct)).FirstOrDefault();
    }

    public async Task<ScheduleView> InsertAsync(ScheduleInput s, string zone, DateTimeOffset? firstRun, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO schedules (wa_id, agent_id, message_text, template_name, template_language, cron, interval_minutes, one_off,
                                   time_zone, next_run_at, enabled)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            RETURNING {Columns}
            """);
        AddValues(cmd, s, zone, firstRun);
        return (await ReadAllAsync(cmd, ct))[0];
    }

    /// <summary>Replaces the definition and recomputes next_run_at; null when the schedule does not exist.</summary>
    public async Task<ScheduleView?> UpdateAsync(long id, ScheduleInput s, string zone, DateTimeOffset? firstRun, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE schedules SET wa_id = $1, agent_id = $2, message_text = $3, template_name = $4, template_language = $5,
                cron = $6, interval_minutes = $7, one_off = $8, time_zone = $9, next_run_at = $10, enabled = $11, updated_at = now()
            WHERE id = $12 RETURNING {Columns}
            """);
        AddValues(cmd, s, zone, firstRun);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return (await ReadAllAsync(cmd, ct)).FirstOrDefault();
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM schedules WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    private static void AddValues(NpgsqlCommand cmd, ScheduleInput s, string zone, DateTimeOffset? firstRun)
    {
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = s.WaId!.Trim() });
        cmd.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = s.AgentId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = s.MessageText! });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = string.IsNullOrWhiteSpace(s.TemplateName) ? null : s.TemplateName.Trim() });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = string.IsNullOrWhiteSpace(s.TemplateLanguage) ? null : s.TemplateLanguage.Trim() });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = string.IsNullOrWhiteSpace(s.Cron) ? null : s.Cron.Trim() });
        cmd.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = s.IntervalMinutes });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = s.OneOff });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = zone });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = firstRun });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = s.Enabled ?? true });
    }

    private static async Task<List<ScheduleView>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<ScheduleView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var cron = r.IsDBNull(6) ? null : r.GetString(6);
            int? interval = r.IsDBNull(7) ? null : r.GetInt32(7);
            var oneOff = r.GetBoolean(8);
            var zone = r.GetString(9);
            DateTimeOffset? next = r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10);
            var enabled = r.GetBoolean(12);
            var upcoming = !enabled ? [] : oneOff ? Recurrence.Upcoming(null, null, zone, next, 1) : Recurrence.Upcoming(cron, interval, zone, next, Upcoming);
            list.Add(new ScheduleView(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), cron, interval, oneOff, zone, next,
                r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11), enabled, r.GetString(13), [.. upcoming]));
        }
        return list;
    }
}
