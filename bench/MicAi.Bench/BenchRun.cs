using System.Globalization;
using MicAi.Core.Configuration;
using Npgsql;

namespace MicAi.Bench;

/// <summary>
/// Runs the parts of a scenario in an order that keeps them apart: the Postgres ceiling first (before any MicAi
/// process runs, on a database of its own), then start the roles (footprint), end-to-end load (RSS sampled), then
/// the console's reads over a large ledger, then ingest with the workers stopped (the api alone), then the queue
/// layer on its own keys beside the bare Redis loop, then the Functions worker's drain.
/// </summary>
public static class BenchRun
{
    public static async Task<Report> RunAsync(BenchOptions options)
    {
        var report = new Report(options);
        await DescribeAsync(options, report);
        Console.WriteLine($"MicAi bench: {options.Scenario} ({string.Join(", ", options.Parts)})");
        var processes = await BenchProcesses.FindAsync(options);

        Spread? ceiling = null, pgbenchCeiling = null;
        if (options.Runs("ingest"))
        {
            var pg = new PgCeiling(options, report, processes);
            await pg.RunAsync();
            (ceiling, pgbenchCeiling) = (pg.HostPath, pg.PgBenchHostPath);
        }

        if (options.Parts.Any(p => p is not ("queue" or "functions" or "otel")))
        {
            await using var stack = await BenchStack.CreateAsync(options);
            var footprint = new FootprintPart(stack, report);
            await footprint.StartRolesAsync();
            await footprint.SampleIdleAsync(TimeSpan.FromSeconds(options.Scenario == "full" ? 5 : 2));

            if (options.Runs("e2e") || options.Runs("footprint"))
            {
                await using (footprint.SampleUnderLoad()) await new EndToEndPart(stack, report, processes).RunAsync();
            }
            if (options.Runs("footprint")) footprint.AddRows();
            if (options.Runs("console")) await new ConsolePart(stack, report).RunAsync();
            if (options.Runs("media")) await new MediaPart(stack, report).RunAsync();

            if (options.Runs("ingest"))
            {
                foreach (var worker in stack.Roles.Where(r => r.Name.StartsWith("worker", StringComparison.Ordinal)).ToList())
                    await stack.StopAsync(worker);
                report.Note("ingest runs with the workers stopped, so its figures are the api's alone (each webhook still commits to Postgres and is queued in Redis before the 200).");
                await new IngestPart(stack, report, processes, ceiling, pgbenchCeiling).RunAsync();
            }
            report.Environment("Host roles", $"api, scheduler, {options.Workers} worker(s); worker concurrency {options.WorkerConcurrency?.ToString(CultureInfo.InvariantCulture) ?? "default"}" +
                (options.HostEnv.Count > 0 ? "; " + string.Join(" ", options.HostEnv.Select(e => $"{e.Key}={e.Value}")) : "") +
                (options.DatabaseQuery is { Length: > 0 } q ? $"; database URL ?{q}" : ""));
            report.Environment("Load", $"payloads 1–3 KB to {options.Numbers} business number(s) (each paced at 1,000 sends/s), {options.Duplicates:P0} redeliveries; ingest {options.IngestConcurrency} in flight; e2e ≤ {options.E2eInFlight} unanswered");
            report.Environment("Graph stub", $"{stack.Graph.Sent} sends, {stack.Graph.Reads} mark-as-read, {stack.Graph.Refused} refused");
        }
        report.Environment("Runtime counters", RuntimeCounters.Enabled(options.Runs("footprint"))
            ? "GC and thread-pool counters read from each role through the bench's startup hook (about +1 MB idle RSS per role)"
            : "hook not loaded (this run measures idle RSS; MICAI_BENCH_RUNTIME_COUNTERS=1 loads it): thread-pool growth from /proc, no GC counts");
        if (options.ShortPhases() is { } shortPhases) report.Note(shortPhases);
        if (options.Runs("otel")) await new TelemetryCostPart(options, report, processes).RunAsync();
        if (options.Runs("queue")) await new QueuePart(options, report, processes).RunAsync();
        if (options.Runs("functions")) await new FunctionsPart(options, report, processes).RunAsync();
        return report;
    }

    /// <summary>What the Host's database connections go through, read from the server rather than taken on trust.</summary>
    private static async Task<string> DescribeRigAsync(NpgsqlDataSource db, BenchOptions options)
    {
        await using var cmd = db.CreateCommand("""
            SELECT coalesce((SELECT 'TLS ' || version FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl), 'plaintext'),
                   (SELECT string_agg(DISTINCT type || ' ' || auth_method, ', ') FROM pg_hba_file_rules)
            """);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var route = options.PooledDatabaseUrl is null
            ? "the Host connects to Postgres directly"
            : "the Host's queries go through the pooler (MICAI_DATABASE_URL), its migrations to Postgres (MICAI_DATABASE_DIRECT_URL)";
        return $"Postgres connections {reader.GetString(0)}, pg_hba {reader.GetString(1)}; {route}";
    }

    /// <summary>Server versions and the durability settings the figures were measured with.</summary>
    private static async Task DescribeAsync(BenchOptions options, Report report)
    {
        await using (var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(options.DatabaseUrl)))
        {
            async Task<string> Show(string what)
            {
                await using var cmd = db.CreateCommand("SHOW " + what);
                return (string?)await cmd.ExecuteScalarAsync() ?? "";
            }
            report.Environment("PostgreSQL", $"{await Show("server_version")} (synchronous_commit {await Show("synchronous_commit")}, fsync {await Show("fsync")}, max_connections {await Show("max_connections")}, backend_flush_after {await Show("backend_flush_after")})");
            report.Environment("Rig", $"{options.Rig ?? "as given"}: {await DescribeRigAsync(db, options)}");
        }
        var server = await RedisInfo.ReadAsync(options.RedisUrl, "server");
        var persistence = await RedisInfo.ReadAsync(options.RedisUrl, "persistence");
        report.Environment("Redis", $"{server.GetValueOrDefault("redis_version")} (appendonly {(persistence.GetValueOrDefault("aof_enabled") == "1" ? "yes" : "no")})");
        report.Environment("Scenario", $"{options.Scenario}: {string.Join(", ", options.Parts.Order())}");
        if (Environment.GetEnvironmentVariable("MICAI_BENCH_COMMIT") is { Length: > 0 } commit) report.Environment("Commit", commit);
    }
}
