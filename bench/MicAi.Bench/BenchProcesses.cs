using MicAi.Core.Configuration;
using Npgsql;

namespace MicAi.Bench;

/// <summary>
/// The roots of every process tree the bench runs on this machine: itself (the Host roles and the Functions worker
/// are its children), the Postgres postmaster (its backends and background processes below it), Redis and the
/// pooler. What the machine spends beyond these trees is other people's work.
/// </summary>
public sealed record BenchProcesses(int Postmaster, int Redis, int? Pooler, int PostgresMajor)
{
    public IReadOnlyCollection<int> Roots => new[] { Environment.ProcessId, Postmaster, Redis }.Concat(Pooler is { } p ? [p] : []).ToArray();

    /// <summary>CPU seconds so far of Postgres (the whole cluster), the pooler, Redis and the bench process itself.</summary>
    public Dictionary<string, double> Cpu()
    {
        var cpu = new Dictionary<string, double>
        {
            ["postgres"] = MachineCpu.TreeSeconds([Postmaster]),
            ["redis"] = MachineCpu.TreeSeconds([Redis]),
            ["bench"] = ProcStat.CpuSeconds(Environment.ProcessId),
        };
        if (Pooler is { } pooler) cpu["pgbouncer"] = MachineCpu.TreeSeconds([pooler]);
        return cpu;
    }

    public static async Task<BenchProcesses> FindAsync(BenchOptions options)
    {
        int major, postmaster = 0, redis = 0;
        int? pooler = null;
        await using (var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(options.DatabaseUrl)))
        await using (var cmd = db.CreateCommand("SELECT pg_backend_pid(), current_setting('server_version_num')::int / 10000"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            await r.ReadAsync();
            // A backend's parent is the postmaster.
            if (MachineCpu.ReadStat(r.GetInt32(0)) is { } backend) postmaster = backend.Parent;
            major = r.GetInt32(1);
        }
        _ = int.TryParse((await RedisInfo.ReadAsync(options.RedisUrl, "server")).GetValueOrDefault("process_id"), out redis);
        if (options.PoolerPidFile is { } file && int.TryParse(File.ReadAllText(file).Trim(), out var pid)) pooler = pid;
        return new BenchProcesses(postmaster, redis, pooler, major);
    }
}
