using System.Text.Json;
using MicAi.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace MicAi.Core.Agents;

/// <summary>The agent_rules table: creating, listing, reading, replacing and deleting rules.</summary>
public sealed class RuleStore(NpgsqlDataSource db)
{
    private const string Columns = "id, agent_id, rule_type, enabled, priority, keywords, prefix, action, tool, reply_text, content::text AS content";

    public async Task<AgentRule> InsertAsync(long agentId, RuleInput r, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO agent_rules (agent_id, rule_type, enabled, priority, keywords, prefix, action, tool, reply_text, content)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) RETURNING {Columns}
            """);
        AddFields(cmd, agentId, r);
        return (await ReadAllAsync(cmd, ct)).Single();
    }

    /// <summary>
    /// The Python service's create: the client names the rule (agent_rules.external_id), and posting the same id
    /// again replaces that rule. One statement, so two posts of a new id at once leave one rule.
    /// </summary>
    public async Task<AgentRule> UpsertAsync(string externalId, long agentId, RuleInput r, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO agent_rules (agent_id, rule_type, enabled, priority, keywords, prefix, action, tool, reply_text, content, external_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
            ON CONFLICT (external_id) DO UPDATE SET agent_id = $1, rule_type = $2, enabled = $3, priority = $4, keywords = $5,
                prefix = $6, action = $7, tool = $8, reply_text = $9, content = $10::jsonb, updated_at = now()
            RETURNING {Columns}
            """);
        AddFields(cmd, agentId, r);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = externalId });
        return (await ReadAllAsync(cmd, ct)).Single();
    }

    public async Task<List<AgentRule>> ListByAgentAsync(long agentId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM agent_rules WHERE agent_id = $1 ORDER BY priority, id");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        return await ReadAllAsync(cmd, ct);
    }

    /// <summary>How many rules an agent has, for <see cref="RuleInput.MaxRulesPerAgent"/>.</summary>
    public async Task<long> CountByAgentAsync(long agentId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM agent_rules WHERE agent_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// An agent's enabled rules, compiled, with the rules_version they were read at (one statement, so the two agree);
    /// <see cref="CompiledRules.Empty"/> when the agent is gone.
    /// </summary>
    public async Task<CompiledRules> LoadCompiledAsync(long agentId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT a.rules_version,
                   -- a rule's content (buttons, list, media) sits beside its other fields, as AgentRule reads them
                   (SELECT coalesce(json_agg(to_jsonb(r) - 'content' || coalesce(r.content, '{}') ORDER BY r.priority, r.id), '[]')
                    FROM agent_rules r WHERE r.agent_id = a.id AND r.enabled)::text AS rules
            FROM agents a WHERE a.id = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return CompiledRules.Empty;
        var rules = JsonSerializer.Deserialize(r.Get<string>("rules"), AgentJson.Default.AgentRuleArray) ?? [];
        return CompiledRules.Compile(rules, r.Get<long>("rules_version"));
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
                action = $8, tool = $9, reply_text = $10, content = $11::jsonb, updated_at = now()
            WHERE id = $1 RETURNING {Columns}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        AddFields(cmd, agentId, r);
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
            list.Add(new AgentRule(r.Get<long>("id"), r.Get<long>("agent_id"), r.Get<string>("rule_type"), r.Get<bool>("enabled"),
                r.Get<int>("priority"), r.Get<string[]>("keywords"), r.GetOrNull<string>("prefix"), r.Get<string>("action"),
                r.GetOrNull<string>("tool"), r.GetOrNull<string>("reply_text"))
                .WithRich(r.GetOrNull<string>("content") is { } json ? JsonSerializer.Deserialize(json, AgentJson.Default.RichReply) : null));
        return list;
    }

    /// <summary>The rule's columns from agent_id on, in table order, as the next parameters.</summary>
    private static void AddFields(NpgsqlCommand cmd, long agentId, RuleInput r)
    {
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.RuleTypeOrDefault });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = r.EnabledOrDefault });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = r.PriorityOrDefault });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = r.KeywordList });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.Prefix });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.ActionOrDefault });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.ToolOrDefault });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = r.ReplyText });
        cmd.Parameters.Add(new NpgsqlParameter<string?>
        {
            TypedValue = r.Rich is { } rich ? JsonSerializer.Serialize(rich, AgentJson.Default.RichReply) : null,
            NpgsqlDbType = NpgsqlDbType.Text,
        });
    }
}
