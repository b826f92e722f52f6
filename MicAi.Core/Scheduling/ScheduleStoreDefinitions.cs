using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Scheduling;

/// <summary>A schedule as operators see it, with its next occurrences (none while disabled).</summary>
public sealed record ScheduleView(
    long Id, string WaId, long? AgentId, string MessageText, string? TemplateName, string? TemplateLanguage, string? Cron,
    int? IntervalMinutes, bool OneOff, string TimeZone, DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt, bool Enabled,
    ScheduleOrigin Origin, DateTimeOffset[] NextOccurrences)
{
    public string[]? TemplateBodyParams { get; init; }

    public string[]? TemplateHeaderParams { get; init; }
}

/// <summary>An occurrence an operator asked for now (POST /admin/schedules/{id}/run): its ledger row's key.</summary>
public sealed record ScheduleRun(long ScheduleId, string IdempotencyKey, DateTimeOffset Occurrence);

/// <summary>A page of schedules: next_offset is null on the last page.</summary>
public sealed record SchedulePage(ScheduleView[] Items, int Limit, int Offset, int? NextOffset);

/// <summary>What saving an operator's schedule came to: the schedule, or that its agent_id names no agent.</summary>
public sealed record ScheduleSaved(ScheduleView? Schedule, bool UnknownAgent = false);

/// <summary>The operators' schedules (the admin API).</summary>
public sealed partial class ScheduleStore
{
    public const int Upcoming = 5;

    private const string Columns = """
        id, wa_id, agent_id, message_text, template_name, template_language, cron, interval_minutes, one_off, time_zone,
        next_run_at, last_run_at, enabled, origin, template_body_params::text AS template_body_params,
        template_header_params::text AS template_header_params
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

    /// <summary>How many schedules (reminders included) a contact has, for <see cref="ScheduleInput.MaxPerContact"/>.</summary>
    public async Task<long> CountForContactAsync(string waId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM schedules WHERE wa_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<ScheduleSaved> InsertAsync(ScheduleInput s, string zone, DateTimeOffset? firstRun, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO schedules (wa_id, agent_id, message_text, template_name, template_language, cron, interval_minutes, one_off,
                                   time_zone, next_run_at, enabled, template_body_params, template_header_params)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb)
            RETURNING {Columns}
            """);
        AddValues(cmd, s, zone, firstRun);
        return await SaveAsync(cmd, ct);
    }

    /// <summary>Replaces the definition and recomputes next_run_at; no schedule when it does not exist.</summary>
    public async Task<ScheduleSaved> UpdateAsync(long id, ScheduleInput s, string zone, DateTimeOffset? firstRun, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE schedules SET wa_id = $1, agent_id = $2, message_text = $3, template_name = $4, template_language = $5,
                cron = $6, interval_minutes = $7, one_off = $8, time_zone = $9, next_run_at = $10, enabled = $11,
                template_body_params = $12::jsonb, template_header_params = $13::jsonb, updated_at = now()
            WHERE id = $14 RETURNING {Columns}
            """);
        AddValues(cmd, s, zone, firstRun);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await SaveAsync(cmd, ct);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM schedules WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The agent is checked by its foreign key, in the same statement: no agent can vanish in between.</summary>
    private static async Task<ScheduleSaved> SaveAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        try
        {
            return new((await ReadAllAsync(cmd, ct)).FirstOrDefault());
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.ForeignKeyViolation, ConstraintName: "schedules_agent_id_fkey" })
        {
            return new(null, UnknownAgent: true);
        }
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
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = ParamsJson(s.TemplateBodyParams), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = ParamsJson(s.TemplateHeaderParams), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }

    private static string? ParamsJson(string[]? values) => values is null ? null : System.Text.Json.JsonSerializer.Serialize(values, ScheduleJson.Default.StringArray);

    private static string[]? ParamsOf(string? json) => json is null ? null : System.Text.Json.JsonSerializer.Deserialize(json, ScheduleJson.Default.StringArray);

    private static async Task<List<ScheduleView>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<ScheduleView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var cron = r.GetOrNull<string>("cron");
            var interval = r.GetNullable<int>("interval_minutes");
            var oneOff = r.Get<bool>("one_off");
            var zone = r.Get<string>("time_zone");
            var next = r.GetNullable<DateTimeOffset>("next_run_at");
            var enabled = r.Get<bool>("enabled");
            var upcoming = !enabled ? [] : oneOff ? Recurrence.Upcoming(null, null, zone, next, 1) : Recurrence.Upcoming(cron, interval, zone, next, Upcoming);
            list.Add(new ScheduleView(r.Get<long>("id"), r.Get<string>("wa_id"), r.GetNullable<long>("agent_id"), r.Get<string>("message_text"),
                r.GetOrNull<string>("template_name"), r.GetOrNull<string>("template_language"), cron, interval, oneOff, zone, next,
                r.GetNullable<DateTimeOffset>("last_run_at"), enabled, DbEnum<ScheduleOrigin>.Parse(r.Get<string>("origin")), [.. upcoming])
            {
                TemplateBodyParams = ParamsOf(r.GetOrNull<string>("template_body_params")),
                TemplateHeaderParams = ParamsOf(r.GetOrNull<string>("template_header_params")),
            });
        }
        return list;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class ScheduleJson : System.Text.Json.Serialization.JsonSerializerContext;
