using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>The agents table.</summary>
public sealed class AgentStore(NpgsqlDataSource db)
{
    private const string Columns = "id, name, persona, fallback_reply, llm_enabled, allowed_tools, is_default, handover_keywords, handover_reply, created_at, updated_at";

    public async Task<bool> ExistsAsync(long agentId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM agents WHERE id = $1)");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>What the Python service answered when no rule matched: the reply of an agent made from its name.</summary>
    public const string PythonFallbackReply = "I heard: {text}. I can help with weather or reminders.";

    /// <summary>
    /// The agent's id, or null when a number names none. A Python string id names the agent that carries it, made on
    /// first use (as the Python service took any name) with the Python fallback reply; one statement, so two requests
    /// naming a new id at once make one agent.
    /// </summary>
    public async Task<long?> ResolveAsync(AgentReference reference, CancellationToken ct)
    {
        if (reference.Id is { } id) return await ExistsAsync(id, ct) ? id : null;
        await using var cmd = db.CreateCommand("""
            WITH made AS (
                INSERT INTO agents (name, external_id, fallback_reply) VALUES ($1, $1, $2) ON CONFLICT (external_id) DO NOTHING RETURNING id)
            SELECT id FROM made UNION ALL SELECT id FROM agents WHERE external_id = $1 LIMIT 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference.ExternalId! });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = PythonFallbackReply });
        return (long?)await cmd.ExecuteScalarAsync(ct);
    }

    public async Task<List<AgentView>> ListAsync(int limit, int offset, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM agents ORDER BY id LIMIT $1 OFFSET $2");
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        return await ReadAllAsync(cmd, ct);
    }

    public async Task<AgentView?> GetAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM agents WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return (await ReadAllAsync(cmd, ct)).FirstOrDefault();
    }

    public async Task<AgentView> InsertAsync(AgentInput a, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO agents (name, persona, fallback_reply, allowed_tools, llm_enabled, handover_keywords, handover_reply)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            RETURNING {Columns}
            """);
        AddValues(cmd, a);
        return (await ReadAllAsync(cmd, ct))[0];
    }

    /// <summary>Replaces every editable field; null when the agent does not exist.</summary>
    public async Task<AgentView?> UpdateAsync(long id, AgentInput a, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE agents SET name = $1, persona = $2, fallback_reply = $3, allowed_tools = $4, llm_enabled = $5,
                handover_keywords = $6, handover_reply = $7, updated_at = now()
            WHERE id = $8 RETURNING {Columns}
            """);
        AddValues(cmd, a);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return (await ReadAllAsync(cmd, ct)).FirstOrDefault();
    }

    /// <summary>Deletes a non-default agent (its rules go with it; its contacts fall back to the default agent).</summary>
    /// <returns>True when deleted; false for the default agent, which stays; null when there is no such agent.</returns>
    public async Task<bool?> DeleteAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            WITH d AS (DELETE FROM agents WHERE id = $1 AND NOT is_default RETURNING id)
            SELECT (SELECT count(*) FROM d) > 0 AS deleted, EXISTS (SELECT 1 FROM agents WHERE id = $1 AND is_default) AS is_default
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        if (r.Get<bool>("deleted")) return true;
        return r.Get<bool>("is_default") ? false : null;
    }

    private static void AddValues(NpgsqlCommand cmd, AgentInput a)
    {
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = a.Name!.Trim() });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = a.Persona ?? "" });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = a.FallbackReply ?? AgentInput.DefaultFallback });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = a.Tools });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = a.LlmEnabled ?? false });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = a.HandoverWords });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = a.HandoverReply ?? AgentInput.DefaultHandoverReply });
    }

    private static async Task<List<AgentView>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<AgentView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new AgentView(r.Get<long>("id"), r.Get<string>("name"), r.Get<string>("persona"), r.Get<string>("fallback_reply"),
                r.Get<bool>("llm_enabled"), r.Get<string[]>("allowed_tools"), r.Get<bool>("is_default"),
                r.Get<DateTimeOffset>("created_at"), r.Get<DateTimeOffset>("updated_at"))
            { HandoverKeywords = r.Get<string[]>("handover_keywords"), HandoverReply = r.Get<string>("handover_reply") });
        return list;
    }
}
