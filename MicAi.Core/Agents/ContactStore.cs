using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>
/// The contacts table: who has written (touched as each message is answered), their agent binding, opt-out state and
/// time zone. The batch commands join the answer's transaction (<see cref="ConversationStore.CompleteAsync"/>).
/// </summary>
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

    /// <summary>Binds a contact to an agent, creating the contact when it has not written yet.</summary>
    public async Task BindAsync(string waId, long agentId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO contacts (wa_id, agent_id) VALUES ($1, $2)
            ON CONFLICT (wa_id) DO UPDATE SET agent_id = EXCLUDED.agent_id, updated_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The contact goes back to the default agent; false when there is no such contact.</summary>
    public async Task<bool> UnbindAsync(string waId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE contacts SET agent_id = NULL, updated_at = now() WHERE wa_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Opts a contact out (STOP) or back in (START); idempotent.</summary>
    public async Task SetOptedOutAsync(string waId, bool optedOut, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE contacts SET opted_out = $2, opted_out_at = CASE WHEN $2 THEN coalesce(opted_out_at, now()) END, updated_at = now()
            WHERE wa_id = $1 AND opted_out <> $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = optedOut });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>START: subscribed again, in the same transaction as the answer, so its confirmation may be sent.</summary>
    public static NpgsqlBatchCommand OptInCommand(string waId)
    {
        var cmd = new NpgsqlBatchCommand("UPDATE contacts SET opted_out = false, opted_out_at = NULL, updated_at = now() WHERE wa_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        return cmd;
    }

    /// <summary>
    /// The contact as of an inbound message: last_inbound_at opens the 24-hour window (never moves back), the profile
    /// name and identities are kept current. Idempotent, so a re-run of the job changes nothing.
    /// </summary>
    public static NpgsqlBatchCommand TouchCommand(string wamid)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO contacts (wa_id, phone, user_id, profile_name, last_inbound_at)
            SELECT wa_id, phone, user_id, profile_name, LEAST(COALESCE(sent_at, received_at), received_at)
            FROM inbound_messages WHERE wamid = $1
            ON CONFLICT (wa_id) DO UPDATE SET
                last_inbound_at = GREATEST(contacts.last_inbound_at, EXCLUDED.last_inbound_at),
                profile_name = COALESCE(EXCLUDED.profile_name, contacts.profile_name),
                phone = COALESCE(EXCLUDED.phone, contacts.phone),
                user_id = COALESCE(EXCLUDED.user_id, contacts.user_id),
                updated_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = wamid });
        return cmd;
    }

    private static async Task<List<ContactView>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<ContactView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new ContactView(r.Get<string>("wa_id"), r.GetOrNull<string>("profile_name"), r.GetOrNull<string>("phone"),
                r.GetNullable<long>("agent_id"), r.Get<bool>("opted_out"), r.GetNullable<DateTimeOffset>("opted_out_at"),
                r.GetOrNull<string>("time_zone"), r.GetNullable<DateTimeOffset>("last_inbound_at"), r.Get<DateTimeOffset>("created_at")));
        return list;
    }
}
