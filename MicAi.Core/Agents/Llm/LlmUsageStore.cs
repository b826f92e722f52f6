using Npgsql;

namespace MicAi.Core.Agents.Llm;

/// <summary>Counts LLM calls per contact and UTC day, so one chatty contact cannot run up the bill.</summary>
public sealed class LlmUsageStore(NpgsqlDataSource db)
{
    /// <summary>Takes one call from today's allowance; false when the contact has used it up.</summary>
    public async Task<bool> TryTakeAsync(string waId, DateOnly day, int limit, CancellationToken ct)
    {
        if (limit <= 0) return false;
        await using var cmd = db.CreateCommand("""
            INSERT INTO llm_usage (wa_id, day, calls) VALUES ($1, $2, 1)
            ON CONFLICT (wa_id, day) DO UPDATE SET calls = llm_usage.calls + 1 WHERE llm_usage.calls < $3
            RETURNING calls
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }
}
