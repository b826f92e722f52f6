using Npgsql;

namespace MicAi.Core.Agents.Tools;

public sealed record PendingReminder(long Id, string What, DateTimeOffset Due);

/// <summary>Reminders are one-off schedules with origin 'remind'; the scheduler sends them like any schedule.</summary>
public sealed class ReminderStore(NpgsqlDataSource db)
{
    public const string MessagePrefix = "⏰ Reminder: ";

    /// <summary>Creates the reminder once per inbound message (a re-run of the same job adds nothing).</summary>
    public async Task InsertAsync(string waId, long agentId, string sourceWamid, string what, DateTimeOffset due, string timeZone, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO schedules (wa_id, agent_id, message_text, one_off, time_zone, next_run_at, origin, source_wamid)
            VALUES ($1, $2, $3, true, $4, $5, 'remind', $6) ON CONFLICT (source_wamid) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = MessagePrefix + what });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = timeZone });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = due });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sourceWamid });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reminders not yet sent, soonest first: the numbering "my reminders" shows and "cancel reminder N" uses.</summary>
    public async Task<List<PendingReminder>> PendingAsync(string waId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, message_text, next_run_at FROM schedules
            WHERE wa_id = $1 AND origin = 'remind' AND enabled AND next_run_at IS NOT NULL
            ORDER BY next_run_at, id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        var list = new List<PendingReminder>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var text = r.GetString(1);
            list.Add(new PendingReminder(r.GetInt64(0), text.StartsWith(MessagePrefix, StringComparison.Ordinal) ? text[MessagePrefix.Length..] : text,
                r.GetFieldValue<DateTimeOffset>(2)));
        }
        return list;
    }

    public async Task<bool> DeleteAsync(string waId, long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM schedules WHERE id = $1 AND wa_id = $2 AND origin = 'remind'");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
