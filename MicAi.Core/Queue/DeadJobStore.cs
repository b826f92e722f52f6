using Npgsql;
using NpgsqlTypes;

namespace MicAi.Core.Queue;

/// <summary>Jobs that ran out of attempts or failed permanently: durable in Postgres, listed and replayed by operators.</summary>
public sealed class DeadJobStore(NpgsqlDataSource db)
{
    public async Task AddAsync(Job job, string error, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO dead_jobs (job_id, job_type, payload, attempts, last_error)
            VALUES ($1, $2, $3::jsonb, $4, $5)
            ON CONFLICT (job_id) DO UPDATE SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
                failed_at = now(), replayed_at = NULL
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Id });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Type });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Serialize(), NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = job.Attempt });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error.Length > 2000 ? error[..2000] : error });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
