using Npgsql;

namespace MicAi.Core.Admin;

/// <summary>SQL behind the contact, binding and conversation operations.</summary>
public sealed class ContactStore(NpgsqlDataSource db)
{
    private const string Columns = "wa_id, profile_name, phone, agent_id, opted_out, opted_out_at, time_zone, last_inbound_at, created_at";

    public async Task<List<ContactView>> ListAsync(bool? optedOut, long? agentId, int limit, int offset, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {Columns} FROM contacts
            WHERE ($1::boolean IS NULL OR opted_out = $1) AND ($2::bigint IS NULL OR agent_id = $2)
            ORDER BY created_at, wa_id LIMIT $3 OFFSET $4
            """);
        cmd.Parameters.Add(new NpgsqlParameter<bool?> { TypedValue = optedOut });
        cmd.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = agentId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        return await ReadAllAsync(cmd, ct);
    }

    public async Task<ContactView?> GetAsync(string waId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM contacts WHERE wa_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return (await ReadAllAsync(cmd, ct)).FirstOrDefault();
    }

    /// <summary>Sets the opt-out state and/or time zone, creating the contact if it has not written yet.</summary>
    public async Task<ContactView> UpsertAsync(string waId, ContactInput input, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO contacts AS c (wa_id, opted_out, opted_out_at, time_zone)
            VALUES ($1, coalesce($2, false), CASE WHEN $2 THEN now() END, nullif($3, ''))
            ON CONFLICT (wa_id) DO UPDATE SET
                opted_out = coalesce($2, c.opted_out),
                opted_out_at = CASE WHEN $2 IS NULL OR $2 = c.opted_out THEN c.opted_out_at WHEN $2 THEN now() END,
                time_zone = CASE WHEN $3 IS NULL THEN c.time_zone ELSE nullif($3, '') END,
                updated_at = now()
            RETURNING {Columns}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<bool?> { TypedValue = input.OptedOut });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = input.TimeZone?.Trim() });
        return (await ReadAllAsync(cmd, ct))[0];
    }

    public async Task<bool> UnbindAsync(string waId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE contacts SET agent_id = NULL, updated_at = now() WHERE wa_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Newest turns first.</summary>
    public async Task<List<TurnView>> TurnsAsync(string waId, int limit, int offset, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, agent_id, inbound_wamid, inbound_text, reply_text, matched_rule_id, responder, created_at
            FROM conversation_turns WHERE wa_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        var list = new List<TurnView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new TurnView(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt64(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7)));
        return list;
    }

    private static async Task<List<ContactView>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<ContactView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new ContactView(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetInt64(3), r.GetBoolean(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetFieldValue<DateTimeOffset>(8)));
        return list;
    }
}
