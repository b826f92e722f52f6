using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// What to run and how hard. A scenario (quick, full) presets every figure; a part name (ingest, e2e, queue, footprint,
/// functions, media) runs that part alone with the quick presets. Any preset can be overridden with --option value.
/// </summary>
public sealed record BenchOptions
{
    public static readonly string[] Scenarios = ["quick", "full"];
    public static readonly string[] AllParts = ["footprint", "e2e", "ingest", "queue", "functions", "console", "media", "otel"];

    /// <summary>quick leaves out functions (publishing the Functions app alone takes about a minute).</summary>
    public static readonly string[] QuickParts = ["footprint", "e2e", "ingest", "queue"];

    public required string Scenario { get; init; }
    public required IReadOnlySet<string> Parts { get; init; }
    public string DatabaseUrl { get; init; } = "";
    /// <summary>The same server through a pooler: the Host then gets it as MICAI_DATABASE_URL, DatabaseUrl as the direct one.</summary>
    public string? PooledDatabaseUrl { get; init; }
    /// <summary>The pooler's pid file, so its CPU is counted per reply like Postgres's and Redis's.</summary>
    public string? PoolerPidFile { get; init; }
    /// <summary>Which rig bin/bench started (prod, plain): named in the report and in the results file's name.</summary>
    public string? Rig { get; init; }
    public string RedisUrl { get; init; } = "";
    public string HostDir { get; init; } = "";
    /// <summary>The published MicAi.Functions app, for the functions part.</summary>
    public string FunctionsDir { get; init; } = "";
    public string? OutDir { get; init; }
    public string Command { get; init; } = "";

    public int Workers { get; init; } = 1;
    /// <summary>Launches of the api alone in the footprint part; its start-up figures are their median.</summary>
    public int ApiLaunches { get; init; } = 5;
    public int? WorkerConcurrency { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> HostEnv { get; init; } = [];
    /// <summary>Appended to the Host's database URL, e.g. max_auto_prepare=20 (libpq-style options pass through).</summary>
    public string? DatabaseQuery { get; init; }

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// e2e's warm-up at the fixed rate before its latency phase; null: <see cref="Warmup"/>. Long in full: with 5 s the
    /// tiered JIT was still compiling in the phase's first seconds (their p99 several times the rest's).
    /// </summary>
    public TimeSpan? E2eWarmup { get; init; }
    /// <summary>Throughputs are counted per window of this length and reported as the median with the spread.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Connections of the Postgres ceiling's insert loop (pgbench's -c).</summary>
    public int CeilingConnections { get; init; } = 16;
    /// <summary>pgbench, to measure the ceiling with Postgres's own C client too (bin/bench gives the server's).</summary>
    public string? PgBenchPath { get; init; }
    public int Numbers { get; init; } = 3;
    public TimeSpan IngestDuration { get; init; } = TimeSpan.FromSeconds(5);
    public int IngestConcurrency { get; init; } = 64;
    public double IngestRate { get; init; } = 1000;
    public double Duplicates { get; init; } = 0.05;

    public double E2eRate { get; init; } = 200;
    public TimeSpan E2eRateDuration { get; init; } = TimeSpan.FromSeconds(4);
    public TimeSpan E2eMaxDuration { get; init; } = TimeSpan.FromSeconds(8);
    public int E2eInFlight { get; init; } = 512;
    /// <summary>When set, e2e sends exactly this many messages at <see cref="E2eRate"/> and skips the max phase.</summary>
    public int? E2eMessages { get; init; }
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public int QueueJobs { get; init; } = 50_000;
    public int QueueBatch { get; init; } = 64;
    public int QueueConsumers { get; init; } = 4;
    /// <summary>Rounds of each queue measurement, the bare Redis loop and Core's layer taking turns.</summary>
    public int QueueRounds { get; init; } = 5;

    public int FunctionsJobs { get; init; } = 1000;
    /// <summary>WorkerPoll invocations timed, each draining <see cref="FunctionsJobs"/> freshly queued jobs.</summary>
    public int FunctionsRuns { get; init; } = 5;

    /// <summary>Rounds of the telemetry-cost part: each round runs the e2e part off, on, on, off.</summary>
    public int OtelRounds { get; init; } = 2;

    public bool Runs(string part) => Parts.Contains(part);

    /// <summary>
    /// The phases too short for steady figures, as a note for the report: in their first seconds the roles still run
    /// code the tiered JIT has not optimized (seen: a 5 s ingest gave ~40 % of a 40 s one's rate, at three times the
    /// api's CPU per webhook), and quick's presets (and a part run alone) are that short.
    /// </summary>
    public string? ShortPhases()
    {
        var shortOnes = new List<string>();
        if (Runs("ingest") && Warmup + IngestDuration < TimeSpan.FromSeconds(20))
            shortOnes.Add($"ingest's {IngestDuration.TotalSeconds:F0} s (--ingest-seconds)");
        if (Runs("e2e") && E2eMessages is null && E2eMaxDuration < TimeSpan.FromSeconds(30))
            shortOnes.Add($"e2e's {E2eMaxDuration.TotalSeconds:F0} s at max (--e2e-max-seconds)");
        return shortOnes.Count == 0 ? null
            : $"short phases: {string.Join(" and ", shortOnes)} end before the tiered JIT has optimized the roles' code, so rates and CPU " +
              "per message are below the steady state; full runs 20 s and 60 s, and 40 s of ingest is steadier still.";
    }

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || args.Contains("--help") || args.Contains("-h")) throw new ArgumentException(Usage);
        var name = args[0];
        var options = name switch
        {
            "quick" => new BenchOptions { Scenario = name, Parts = QuickParts.ToHashSet() },
            "full" => new BenchOptions
            {
                Scenario = name, Parts = AllParts.Where(p => p != "otel").ToHashSet(), Warmup = TimeSpan.FromSeconds(5),
                E2eWarmup = TimeSpan.FromSeconds(30),
                IngestDuration = TimeSpan.FromSeconds(20), E2eRateDuration = TimeSpan.FromSeconds(30),
                E2eMaxDuration = TimeSpan.FromSeconds(60), DrainTimeout = TimeSpan.FromSeconds(60), QueueJobs = 200_000, QueueRounds = 7,
            },
            _ when AllParts.Contains(name) => new BenchOptions { Scenario = name, Parts = new HashSet<string> { name } },
            _ => throw new ArgumentException($"unknown scenario '{name}'\n{Usage}"),
        };
        options = options with
        {
            DatabaseUrl = Environment.GetEnvironmentVariable("MICAI_BENCH_DATABASE_URL") ?? "",
            PooledDatabaseUrl = Environment.GetEnvironmentVariable("MICAI_BENCH_POOLED_DATABASE_URL") is { Length: > 0 } pooled ? pooled : null,
            RedisUrl = Environment.GetEnvironmentVariable("MICAI_BENCH_REDIS_URL") ?? "",
            HostDir = Environment.GetEnvironmentVariable("MICAI_BENCH_HOST_DIR") ?? "",
            FunctionsDir = Environment.GetEnvironmentVariable("MICAI_BENCH_FUNCTIONS_DIR") ?? "",
            Command = "dotnet MicAi.Bench.dll " + string.Join(' ', args),
        };
        var hostEnv = new List<KeyValuePair<string, string>>();
        for (var i = 1; i < args.Length; i++)
        {
            var key = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{key} needs a value\n{Usage}");
            options = key switch
            {
                "--database-url" => options with { DatabaseUrl = value },
                "--pooled-database-url" => options with { PooledDatabaseUrl = value },
                "--pooler-pid-file" => options with { PoolerPidFile = value },
                "--rig" => options with { Rig = value },
                "--redis-url" => options with { RedisUrl = value },
                "--host-dir" => options with { HostDir = value },
                "--functions-dir" => options with { FunctionsDir = value },
                "--out" => options with { OutDir = value },
                "--command" => options with { Command = value },
                "--workers" => options with { Workers = Int(key, value, 1) },
                "--api-launches" => options with { ApiLaunches = Int(key, value, 1) },
                "--numbers" => options with { Numbers = Int(key, value, 1) },
                "--worker-concurrency" => options with { WorkerConcurrency = Int(key, value, 1) },
                "--database-query" => options with { DatabaseQuery = value.TrimStart('?') },
                "--host-env" => AddHostEnv(options, hostEnv, key, value),
                "--warmup" => options with { Warmup = Seconds(key, value) },
                "--e2e-warmup" => options with { E2eWarmup = Seconds(key, value) },
                "--window-seconds" => options with { Window = Seconds(key, value) },
                "--ceiling-connections" => options with { CeilingConnections = Int(key, value, 1) },
                "--pgbench" => options with { PgBenchPath = value },
                "--ingest-seconds" => options with { IngestDuration = Seconds(key, value) },
                "--ingest-concurrency" => options with { IngestConcurrency = Int(key, value, 1) },
                "--ingest-rate" => options with { IngestRate = Double(key, value) },
                "--duplicates" => options with { Duplicates = Math.Clamp(Double(key, value), 0, 0.9) },
                "--e2e-rate" => options with { E2eRate = Double(key, value) },
                "--e2e-rate-seconds" => options with { E2eRateDuration = Seconds(key, value) },
                "--e2e-max-seconds" => options with { E2eMaxDuration = Seconds(key, value) },
                "--e2e-inflight" => options with { E2eInFlight = Int(key, value, 1) },
                "--messages" => options with { E2eMessages = Int(key, value, 1) },
                "--drain-seconds" => options with { DrainTimeout = Seconds(key, value) },
                "--queue-jobs" => options with { QueueJobs = Int(key, value, 1) },
                "--queue-batch" => options with { QueueBatch = Int(key, value, 1) },
                "--queue-consumers" => options with { QueueConsumers = Int(key, value, 1) },
                "--queue-rounds" => options with { QueueRounds = Int(key, value, 1) },
                "--functions-jobs" => options with { FunctionsJobs = Int(key, value, 1) },
                "--functions-runs" => options with { FunctionsRuns = Int(key, value, 1) },
                "--otel-rounds" => options with { OtelRounds = Int(key, value, 1) },
                _ => throw new ArgumentException($"unknown option {key}\n{Usage}"),
            };
        }
        return options;
    }

    public void Validate()
    {
        var missing = new List<string>();
        if (DatabaseUrl.Length == 0) missing.Add("--database-url (or MICAI_BENCH_DATABASE_URL)");
        if (RedisUrl.Length == 0) missing.Add("--redis-url (or MICAI_BENCH_REDIS_URL)");
        if (Parts.Any(p => p != "queue") && HostDir.Length == 0) missing.Add("--host-dir (or MICAI_BENCH_HOST_DIR)");
        if (Runs("functions") && FunctionsDir.Length == 0) missing.Add("--functions-dir (or MICAI_BENCH_FUNCTIONS_DIR)");
        if (missing.Count > 0) throw new ArgumentException("missing: " + string.Join(", ", missing) + "\n" + Usage);
        if (HostDir.Length > 0 && !File.Exists(Path.Combine(HostDir, "MicAi.Host.dll")))
            throw new ArgumentException($"no MicAi.Host.dll in {HostDir}: publish MicAi.Host there first");
        if (Runs("functions") && !File.Exists(Path.Combine(FunctionsDir, "MicAi.Functions.dll")))
            throw new ArgumentException($"no MicAi.Functions.dll in {FunctionsDir}: publish MicAi.Functions there first");
        if (Window <= TimeSpan.Zero) throw new ArgumentException("--window-seconds must be above 0");
    }

    private static BenchOptions AddHostEnv(BenchOptions options, List<KeyValuePair<string, string>> env, string key, string value)
    {
        var eq = value.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"{key} wants NAME=VALUE, got '{value}'");
        env.Add(new(value[..eq], value[(eq + 1)..]));
        return options with { HostEnv = env.ToList() };
    }

    private static int Int(string key, string value, int min) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new ArgumentException($"{key} wants an integer ≥ {min}");

    private static double Double(string key, string value) =>
        double.TryParse(value, CultureInfo.InvariantCulture, out var d) && d >= 0 ? d : throw new ArgumentException($"{key} wants a number ≥ 0");

    private static TimeSpan Seconds(string key, string value) => TimeSpan.FromSeconds(Double(key, value));

    public const string Usage = """
        usage: dotnet MicAi.Bench.dll <quick|full|ingest|e2e|queue|footprint|functions|console|media|otel> [options]
          --database-url URL     Postgres superuser URL; a fresh database is created per run (MICAI_BENCH_DATABASE_URL)
          --pooled-database-url URL  the same server through a pooler: the Host's MICAI_DATABASE_URL, with the server as
                                 MICAI_DATABASE_DIRECT_URL (MICAI_BENCH_POOLED_DATABASE_URL)
          --pooler-pid-file F    the pooler's pid file, to count its CPU   --rig NAME   the rig's name (report, file name)
          --redis-url URL        Redis URL (MICAI_BENCH_REDIS_URL)
          --host-dir DIR         the published MicAi.Host (MICAI_BENCH_HOST_DIR)
          --functions-dir DIR    the published MicAi.Functions, for the functions part (MICAI_BENCH_FUNCTIONS_DIR)
          --out DIR              write <yyyy-MM-dd>-<scenario>.md there
          --command TEXT         the command line to record in the results
          --workers N            worker processes (1)        --worker-concurrency N   MICAI_WORKER_CONCURRENCY
          --api-launches N       launches of the api alone in the footprint part, its start-up figures their median (5)
          --numbers N            business numbers the webhooks take turns on, each paced at 1,000 sends/s (3)
          --host-env NAME=VALUE  extra environment for every Host process (repeatable)
          --database-query Q     options appended to the Host's database URL, e.g. max_auto_prepare=20
          --window-seconds S     throughputs are medians over windows of S seconds (1)
          --ceiling-connections N  connections of the Postgres ceiling's insert loop (16)
          --pgbench PATH         also measure the ceiling with pgbench (bin/bench passes the server's own)
          --warmup S  --e2e-warmup S  --ingest-seconds S  --ingest-concurrency N  --ingest-rate R  --duplicates RATIO
          --e2e-rate R  --e2e-rate-seconds S  --e2e-max-seconds S  --e2e-inflight N  --messages N  --drain-seconds S
          --queue-jobs N  --queue-batch C  --queue-consumers M  --queue-rounds R
          --functions-jobs N  --functions-runs R   jobs queued before each timed WorkerPoll invocation, invocations
          --otel-rounds N        rounds of the otel part, each running e2e off, on, on, off (2)
        """;
}
