using MicAi.Bench;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Bench;

/// <summary>
/// The same-run ceilings and the Functions drain on the test servers, tiny: each must do all of its work exactly once
/// and report its windows. No timing is asserted (the machine is shared).
/// </summary>
[Collection(BenchCollection.Name)]
public sealed class SameRunCeilingTests
{
    private static BenchOptions Options(string part, params string[] args)
    {
        var options = BenchOptions.Parse([part, "--warmup", "0", .. args]) with
        {
            DatabaseUrl = TestServers.AdminDatabaseUrl, PooledDatabaseUrl = TestServers.PoolerUrl, Rig = "prod",
            RedisUrl = TestServers.RedisUrl, HostDir = HostProcess.HostDirectory,
            FunctionsDir = part == "functions" ? TestServers.Required("MICAI_TEST_FUNCTIONS_DIR") : "",
        };
        options.Validate();
        return options;
    }

    [Fact]
    public async Task PostgresCeiling_ThroughPgBouncerAndDirect_StoresEachNewRowOnce_AndReportsTheMedianOfItsWindows_ForNpgsqlAndPgbench()
    {
        var options = Options("ingest", "--ingest-seconds", "2", "--duplicates", "0.2",
            "--pgbench", Path.Combine(TestServers.Required("MICAI_TEST_PG_BIN"), "pgbench"));
        var report = new Report(options);
        var processes = await BenchProcesses.FindAsync(options);

        var ceiling = new PgCeiling(options, report, processes);
        await ceiling.RunAsync();

        Assert.Equal(0, report.Checks["ceiling: rows missing or extra after the loop (unprepared)"]);
        Assert.Equal(0, report.Checks["ceiling: rows missing or extra after the loop (prepared)"]);
        Assert.Equal(2, ceiling.HostPath!.Count);
        Assert.True(ceiling.HostPath.Median > 0);
        var rows = report.Rows.Where(r => r.Figure.StartsWith("INSERT … ON CONFLICT", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("through PgBouncer", rows[0].Figure);
        Assert.Matches(@"^[\d,]+ /s \(IQR [\d,]+–[\d,]+, range [\d,]+–[\d,]+; 2 windows of 1 s\)$", rows[0].Measured);
        var pgbench = report.Rows.Where(r => r.Figure.StartsWith("pgbench (C client)", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pgbench.Count);
        Assert.Contains("through PgBouncer, -M extended", pgbench[0].Figure);
        Assert.All(pgbench, r => Assert.Matches(@"^[\d,]+ /s \(IQR .*; 2 windows of 1 s\)$", r.Measured));
        Assert.True(ceiling.PgBenchHostPath!.Median > 0);
        // Its database is gone again, so nothing of it reaches the parts measured next.
        Assert.Equal(0L, await CeilingDatabasesAsync());
    }

    [Fact]
    public async Task QueuePart_BareLoopAndCoreLayer_AckEveryJobInEveryRound_AndReportTheirRatio()
    {
        var options = Options("queue", "--queue-jobs", "2000", "--queue-rounds", "2");
        var report = new Report(options);

        await new QueuePart(options, report, await BenchProcesses.FindAsync(options)).RunAsync();

        Assert.Equal(0, report.Checks["queue: jobs left in the stream or pending after the runs"]);
        foreach (var mode in new[] { "enqueue", "consume + ack", "enqueue ∥ consume + ack" })
        {
            Assert.Contains(report.Rows, r => r.Figure == $"{mode} jobs/s, bare Redis Streams loop" && r.Measured.Contains("2 rounds of 2,000 jobs"));
            Assert.Contains(report.Rows, r => r.Figure == $"{mode} jobs/s, Core's JobStream + JobRunner");
            Assert.Matches(@"^\d+\.\d\d$", Assert.Single(report.Rows, r => r.Figure == $"{mode}: Core ÷ bare (medians)").Measured);
        }
    }

    [Fact]
    public async Task FunctionsPart_AnswersEveryQueuedJobExactlyOnce_InOneWorkerPollInvocationPerRun_AndItsWorkerWritesRuntimeCounters()
    {
        var options = Options("functions", "--functions-jobs", "40", "--functions-runs", "2");
        var report = new Report(options);

        await new FunctionsPart(options, report, await BenchProcesses.FindAsync(options)).RunAsync();

        Assert.Equal(0, report.Checks["functions: jobs a WorkerPoll run left for the next one"]);
        Assert.Equal(0, report.Checks["functions: lost replies"]);
        Assert.Equal(0, report.Checks["functions: duplicated replies"]);
        Assert.Equal(0, report.Checks["functions: jobs left in the stream or pending"]);
        Assert.False(report.CorrectnessFailed);
        // The startup hook was loaded into the worker process and wrote its GC and thread-pool counters.
        Assert.Contains(Directory.EnumerateFiles(RuntimeCounters.Directory).Where(f => Path.GetExtension(f).Length == 0), f => RuntimeCounters.Parse(File.ReadAllText(f)) is { PoolThreads: > 0 });
        Assert.Contains("; 2 invocations)", Assert.Single(report.Rows, r => r.Figure.StartsWith("WorkerPoll: one invocation drains 40 queued", StringComparison.Ordinal)).Measured);
    }

    private static async Task<long> CeilingDatabasesAsync()
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(MicAi.Core.Configuration.ConnectionStrings.ToNpgsql(TestServers.AdminDatabaseUrl));
        await using var cmd = db.CreateCommand("SELECT count(*) FROM pg_database WHERE datname LIKE 'micai\\_ceiling\\_%'");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
