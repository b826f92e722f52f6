using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Npgsql;

namespace MicAi.Core.Scheduling;

/// <summary>A schedule row as the tick needs it.</summary>
public sealed record DueSchedule(
    long Id, string WaId, string MessageText, string? TemplateName, string? TemplateLanguage,
    int? IntervalMinutes, string? Cron, string TimeZone, DateTimeOffset Occurrence, bool OneOff)
{
    public string? BodyParams { get; init; }

    public string? HeaderParams { get; init; }

    public ScheduleOrigin Origin { get; init; }

    /// <summary>The occurrence's ledger row: the text, and the template (with its parameters) for a closed window.</summary>
    public OutboundDraft Draft(string key, string phoneNumberId) =>
        new(key, WaId, phoneNumberId, "text", MessageText, TemplateName: TemplateName, TemplateLanguage: TemplateLanguage,
            TemplateParams: BodyParams is null ? null : System.Text.Json.JsonSerializer.Deserialize(BodyParams, ScheduleJson.Default.StringArray))
        {
            Author = Origin == ScheduleOrigin.Remind ? OutboundAuthors.Remind : OutboundAuthors.Schedule,
            Template = WhatsApp.TemplateMessage.WithHeaderOrButtons(
                BodyParams is null ? null : System.Text.Json.JsonSerializer.Deserialize(BodyParams, ScheduleJson.Default.StringArray),
                HeaderParams is null ? null : System.Text.Json.JsonSerializer.Deserialize(HeaderParams, ScheduleJson.Default.StringArray), null),
        };
}

/// <summary>A reminder not sent yet (a one-off schedule the remind tool created).</summary>
public sealed record Reminder(long Id, string MessageText, DateTimeOffset Due);

/// <summary>Who made a schedule (column <c>origin</c>): an operator through the admin API, or the remind tool.</summary>
public enum ScheduleOrigin
{
    Admin,
    Remind,
}

/// <summary>
/// The schedules and schedule_runs tables: the tick's claim and reminders (here) and the operators' schedules
/// (ScheduleStoreDefinitions.cs). Every statement on either table is in this class.
/// </summary>
public sealed partial class ScheduleStore(NpgsqlDataSource db, WhatsAppSettings whatsApp)
{
    private static readonly string Remind = DbEnum<ScheduleOrigin>.Sql(ScheduleOrigin.Remind);

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
        await using (var select = new NpgsqlCommand($"""
            SELECT {DueColumns}, next_run_at FROM schedules WHERE enabled AND next_run_at <= $1
            ORDER BY next_run_at LIMIT $2 FOR UPDATE SKIP LOCKED
            """, connection, tx))
        {
            select.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            await using var r = await select.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                due.Add(ReadDue(r, r.Get<DateTimeOffset>("next_run_at")));
        }
        if (due.Count == 0) return created;

        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var s in due)
        {
            var key = OutboundDraft.ScheduleKey(s.Id, s.Occurrence);
            var next = s.OneOff ? null : Recurrence.NextAfter(s, now);
            AddOccurrence(batch, s, key);
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

    // What an occurrence needs of its schedule (ReadDue reads it).
    private const string DueColumns = """
        id, wa_id, message_text, template_name, template_language, interval_minutes, cron, time_zone, one_off,
        template_body_params::text AS template_body_params, template_header_params::text AS template_header_params, origin
        """;

    private static DueSchedule ReadDue(NpgsqlDataReader r, DateTimeOffset occurrence) =>
        new(r.Get<long>("id"), r.Get<string>("wa_id"), r.Get<string>("message_text"), r.GetOrNull<string>("template_name"),
            r.GetOrNull<string>("template_language"), r.GetNullable<int>("interval_minutes"), r.GetOrNull<string>("cron"),
            r.Get<string>("time_zone"), occurrence, r.Get<bool>("one_off"))
        {
            BodyParams = r.GetOrNull<string>("template_body_params"), HeaderParams = r.GetOrNull<string>("template_header_params"),
            Origin = DbEnum<ScheduleOrigin>.Parse(r.Get<string>("origin")),
        };

    /// <summary>An occurrence claimed (its schedule_runs row: never twice) and its ledger row, in the caller's batch.</summary>
    private void AddOccurrence(NpgsqlBatch batch, DueSchedule s, string key)
    {
        var claim = new NpgsqlBatchCommand("INSERT INTO schedule_runs (schedule_id, occurrence, idempotency_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        claim.Parameters.Add(new NpgsqlParameter<long> { TypedValue = s.Id });
        claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = s.Occurrence });
        claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        batch.BatchCommands.Add(claim);
        batch.BatchCommands.Add(OutboundLedger.InsertCommand(s.Draft(key, whatsApp.PhoneNumberId)));
    }

    /// <summary>A reminder is a one-off schedule of origin 'remind', created once per inbound message (a re-run adds nothing).</summary>
    public async Task InsertReminderAsync(string waId, long agentId, string sourceWamid, string messageText, DateTimeOffset due, string timeZone, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO schedules (wa_id, agent_id, message_text, one_off, time_zone, next_run_at, origin, source_wamid)
            VALUES ($1, $2, $3, true, $4, $5, {Remind}, $6) ON CONFLICT (source_wamid) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = messageText });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = timeZone });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = due });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sourceWamid });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A contact's reminders not yet sent, soonest first.</summary>
    public async Task<List<Reminder>> PendingRemindersAsync(string waId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT id, message_text, next_run_at FROM schedules
            WHERE wa_id = $1 AND origin = {Remind} AND enabled AND next_run_at IS NOT NULL
            ORDER BY next_run_at, id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        var list = new List<Reminder>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(new Reminder(r.Get<long>("id"), r.Get<string>("message_text"), r.Get<DateTimeOffset>("next_run_at")));
        return list;
    }

    /// <summary>Deletes one of a contact's reminders (never an operator's schedule).</summary>
    public async Task<bool> DeleteReminderAsync(string waId, long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"DELETE FROM schedules WHERE id = $1 AND wa_id = $2 AND origin = {Remind}");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
