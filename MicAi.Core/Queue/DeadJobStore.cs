using MicAi.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace MicAi.Core.Queue;

/// <summary>A dead_jobs row as operators see it.</summary>
public sealed record DeadJob(long Id, string JobId, string JobType, string Key, int Attempts, string? LastError,
    DateTimeOffset FailedAt, DateTimeOffset? ReplayedAt);

/// <summary>Jobs that ran out of attempts or failed permanently: durable in Postgres, listed and replayed by operators.</summary>
public sealed class DeadJobStore(NpgsqlDataSource db)
{
    private const string Columns = "id, job_id, job_type, coalesce(payload->>'Key', '') AS key, attempts, last_error, failed_at, replayed_at";

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

    /// <summary>Newest first; pass the last id of a page as <paramref name="beforeId"/> for the next one.</summary>
    public async Task<List<DeadJob>> ListAsync(long? beforeId, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM dead_jobs WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2");
        cmd.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = beforeId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var list = new List<DeadJob>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(Read(r));
        return list;
    }

    /// <summary>Dead jobs not replayed yet, newest first (the attention list).</summary>
    public async Task<List<DeadJob>> ListOpenAsync(int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM dead_jobs WHERE replayed_at IS NULL ORDER BY id DESC LIMIT $1");
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var list = new List<DeadJob>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(Read(r));
        return list;
    }

    public async Task<DeadJob?> GetAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM dead_jobs WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>
    /// Claims a dead job for replay (replayed_at set once, so two operators replaying together enqueue it once) and,
    /// in the same transaction, runs what its handler resets first (<see cref="IJobHandler.PrepareReplay"/>: the
    /// outbound row back to pending). Returns the job, or null when already replayed.
    /// </summary>
    public async Task<Job?> BeginReplayAsync(long id, Func<Job, NpgsqlBatchCommand?> prepare, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        Job? job;
        await using (var claim = new NpgsqlCommand("UPDATE dead_jobs SET replayed_at = now() WHERE id = $1 AND replayed_at IS NULL RETURNING payload::text", connection, tx))
        {
            claim.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            job = await claim.ExecuteScalarAsync(ct) is string json ? Job.Deserialize(json) : null;
        }
        if (job is null) return null;
        if (prepare(job) is { } reset)
        {
            await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { reset } };
            await batch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return job;
    }

    /// <summary>Undoes <see cref="BeginReplayAsync"/>'s claim when the job could not be enqueued.</summary>
    public async Task AbortReplayAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE dead_jobs SET replayed_at = NULL WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM dead_jobs WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Dead jobs not replayed yet, for the operators' stats.</summary>
    public async Task<long> CountOpenAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM dead_jobs WHERE replayed_at IS NULL");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static DeadJob Read(NpgsqlDataReader r) => new(r.Get<long>("id"), r.Get<string>("job_id"), r.Get<string>("job_type"),
        r.Get<string>("key"), r.Get<int>("attempts"), r.GetOrNull<string>("last_error"), r.Get<DateTimeOffset>("failed_at"),
        r.GetNullable<DateTimeOffset>("replayed_at"));
}
