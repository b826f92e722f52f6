using Npgsql;

namespace MicAi.Core.Outbox;

/// <summary>The runtime_flags table: switches an operator flips without a redeploy, kept across restarts.</summary>
public sealed class RuntimeFlagStore(NpgsqlDataSource db)
{
    public const string OutboundPaused = "outbound_paused";
    public const string OutboundPauseReason = "outbound_pause_reason";

    public async Task<string?> GetAsync(string key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT value FROM runtime_flags WHERE key = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Sets several flags in one transaction (a batch), so a reader never sees half a change.</summary>
    public async Task SetAsync(IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        foreach (var (key, value) in values)
        {
            var cmd = new NpgsqlBatchCommand("""
                INSERT INTO runtime_flags (key, value) VALUES ($1, $2)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
                """);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
            batch.BatchCommands.Add(cmd);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }
}
