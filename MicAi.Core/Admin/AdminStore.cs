using MicAi.Core.Agents;
using Npgsql;

namespace MicAi.Core.Admin;

/// <summary>SQL behind the admin operations on agents, rules and bindings.</summary>
public sealed class AdminStore(NpgsqlDataSource db)
{
    public async Task<bool> AgentExistsAsync(long agentId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM agents WHERE id = $1)");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
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

    /// <summary>Row counts by status for one table (inbound_messages or outbound_messages).</summary>
    public async Task<Dictionary<string, long>> CountByStatusAsync(string table, CancellationToken ct)
    {
        if (table is not ("inbound_messages" or "outbound_messages")) throw new ArgumentOutOfRangeException(nameof(table));
        await using var cmd = db.CreateCommand($"SELECT status, count(*) FROM {table} GROUP BY status ORDER BY status");
        var counts = new Dictionary<string, long>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) counts[r.GetString(0)] = r.GetInt64(1);
        return counts;
    }

    public async Task<long> CountDeadJobsAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM dead_jobs WHERE replayed_at IS NULL");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
