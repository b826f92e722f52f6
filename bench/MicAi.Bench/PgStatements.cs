using System.Globalization;
using Npgsql;

namespace MicAi.Bench;

/// <summary>
/// Where Postgres spends its time per reply, statement by statement (pg_stat_statements). Only when the server
/// preloads the module (bin/bench does with MICAI_BENCH_PG_STATEMENTS=1): it costs a little throughput.
/// </summary>
public static class PgStatements
{
    public static async Task<bool> ResetAsync(NpgsqlDataSource db)
    {
        await using (var show = db.CreateCommand("SHOW shared_preload_libraries"))
            if ((await show.ExecuteScalarAsync() as string)?.Contains("pg_stat_statements", StringComparison.Ordinal) != true) return false;
        await using var cmd = db.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
        await cmd.ExecuteNonQueryAsync();
        return true;
    }

    /// <param name="phase">Names the phase the profile is of (" at 200/s"), or "" for the part's main phase.</param>
    public static async Task AddAsync(NpgsqlDataSource db, Report report, string part, long units, string unit, string phase = "")
    {
        await using var cmd = db.CreateCommand("""
            SELECT calls, total_exec_time, wal_bytes, total_plan_time, regexp_replace(query, '\s+', ' ', 'g')
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_exec_time + total_plan_time DESC LIMIT 12
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        var n = Math.Max(1, units);
        while (await r.ReadAsync())
        {
            var calls = r.GetInt64(0);
            var ms = r.GetDouble(1);
            var plan = r.GetDouble(3);
            var sql = r.GetString(4);
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"{part} postgres{phase}: {(double)calls / n:F2} calls/{unit}, {ms * 1000 / Math.Max(1, calls):F0} µs/call, {ms * 1000 / n:F0} µs/{unit} executing + {plan * 1000 / n:F0} planning, WAL {r.GetDecimal(2) / n:F0} B/{unit}: `{(sql.Length > 110 ? sql[..110] + "…" : sql)}`"));
        }
    }
}
