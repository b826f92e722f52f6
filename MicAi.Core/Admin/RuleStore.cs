using MicAi.Core.Agents;
using Npgsql;

namespace MicAi.Core.Admin;

/// <summary>SQL behind listing, reading, replacing and deleting rules (creation is AdminStore.InsertRuleAsync).</summary>
public sealed class RuleStore(NpgsqlDataSource db)
{
    private const string Columns = "id, agent_id, rule_type, enabled, priority, keywords, prefix, action, tool, reply_text";

    public async Task<List<AgentRule>> ListByAgentAsync(long agentId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM agent_rules WHERE agent_id = $1 ORDER BY priority, id");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        return await ReadAllAsync(cmd, ct);
    }

    public async Task<AgentRule?> GetAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM agent_rules WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return (await ReadAllAsync(cmd, ct)).FirstOrDefault();
    }

    public async Task<AgentRule?> UpdateAsync(long id, long agentId, RuleInput r, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE agent_rules SET agent_id = $2, rule_type = $3, enabled = $4, priority = $5, keywords = $6, prefix = $7,
                action = $8, tool = $9, reply_text = $10, updated_at = now()
            WHERE id = $1 RETURNING {Columns}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.RuleTypeOrDefault });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = r.EnabledOrDefault });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = r.PriorityOrDefault });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = r.KeywordList });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.Prefix });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.ActionOrDefault });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.Tool });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.ReplyText });
        return (await ReadAllAsync(cmd, ct)).FirstOrDefault();
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM agent_rules WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    private static async Task<List<AgentRule>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<AgentRule>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new AgentRule(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetBoolean(3), r.GetInt32(4), r.GetFieldValue<string[]>(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9)));
        return list;
    }
}
