using Npgsql;

namespace MicAi.Bench;

/// <summary>
/// The default agent with a rule set of an operator who typed a lot: keyword rules (three keywords each, one a phrase)
/// and prefix rules, none of which a bench message matches, so every message is matched against all of them and the
/// reply stays the plain run's (the fallback). Written straight to Postgres, as a script or psql would: the workers
/// learn of it through the agent's rules version.
/// </summary>
public static class RuleAgent
{
    public const int Size = 500;

    public static async Task SeedAsync(NpgsqlDataSource db, int size)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO agent_rules (agent_id, rule_type, priority, keywords, prefix, reply_text)
            SELECT a.id, CASE WHEN i % 10 = 0 THEN 'prefix' ELSE 'keyword' END, i,
                   CASE WHEN i % 10 = 0 THEN '{}'::text[] ELSE ARRAY['sku' || i, 'promo' || i || ' code', 'zzcoupon' || i] END,
                   CASE WHEN i % 10 = 0 THEN 'track' || i END, 'rule ' || i
            FROM agents a, generate_series(1, $1) i WHERE a.is_default
            """);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = size });
        await cmd.ExecuteNonQueryAsync();
    }
}
