using System.Globalization;
using Npgsql;

namespace MicAi.Bench;

/// <summary>
/// What the machine, Postgres and the Host roles had done up to one instant: the counters whose change over a window
/// can say why that window was slow. Everything comes from /proc and Postgres's statistics views (no extra tools).
/// </summary>
public sealed record WindowSample(
    long At,
    double MachineBusy,
    double MachineSteal,
    double BenchCpu,
    long CheckpointsDone,
    long CheckpointBuffers,
    string CheckpointerWait,
    long AutovacuumsDone,
    string AutovacuumRunning,
    IReadOnlyDictionary<string, int> PoolThreads,
    IReadOnlyDictionary<string, RuntimeCounters> Runtime,
    long WalSegments = 0,
    TimeSpan BenchGcPause = default,
    long DirtyKb = 0)
{
    /// <summary>
    /// A fall of the machine's dirty page cache worth naming: the kernel wrote back at least this much at once, and
    /// every commit's WAL flush waited behind it (seen as 60-200 ms windows when data dirtied 30 s before expired).
    /// </summary>
    public const long NotableWritebackKb = 16 * 1024;

    /// <summary>A pause of the load generator's own GC worth naming: its clock and its sends stop with it.</summary>
    public static readonly TimeSpan NotableBenchPause = TimeSpan.FromMilliseconds(5);

    /// <summary>Postgres's checkpointer waits on this event while no checkpoint is in progress.</summary>
    public const string CheckpointerIdle = "CheckpointerMain";

    /// <summary>
    /// The checkpointer sleeps on this between writes of a spread checkpoint, which runs through most of a long
    /// phase: a window that saw only this, and no buffer written, had nothing from the checkpoint to wait for.
    /// </summary>
    public const string CheckpointerPacing = "CheckpointWriteDelay";

    /// <summary>The thread-pool worker threads' name (.NET 6+ names them; /proc shows the first 15 bytes).</summary>
    private const string PoolThreadName = ".NET TP Worker";

    public static async Task<WindowSample> TakeAsync(BenchProcesses processes, NpgsqlDataSource? db, IEnumerable<(string Name, int Pid)> roles)
    {
        var at = System.Diagnostics.Stopwatch.GetTimestamp();
        var (busy, steal) = MachineCpu.Read();
        var ours = MachineCpu.TreeSeconds(processes.Roots);
        var list = roles.ToList();
        var threads = list.ToDictionary(r => r.Name, r => CountThreads(r.Pid, PoolThreadName));
        var runtime = list.Select(r => (r.Name, Counters: RuntimeCounters.Read(r.Pid))).Where(r => r.Counters is not null)
            .ToDictionary(r => r.Name, r => r.Counters!);
        var pause = GC.GetTotalPauseDuration();
        var dirty = DirtyPageCacheKb();
        if (db is null) return new WindowSample(at, busy, steal, ours, 0, 0, CheckpointerIdle, 0, "", threads, runtime, BenchGcPause: pause, DirtyKb: dirty);

        var (done, buffers) = processes.PostgresMajor >= 17
            ? ("SELECT num_timed + num_requested FROM pg_stat_checkpointer", "SELECT buffers_written FROM pg_stat_checkpointer")
            : ("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter", "SELECT buffers_checkpoint FROM pg_stat_bgwriter");
        await using var cmd = db.CreateCommand($"""
            SELECT ({done}), ({buffers}),
                   coalesce((SELECT wait_event FROM pg_stat_activity WHERE backend_type = 'checkpointer'), ''),
                   (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0)::bigint FROM pg_stat_all_tables),
                   coalesce((SELECT string_agg(regexp_replace(query, '^autovacuum: ', ''), ', ') FROM pg_stat_activity
                             WHERE backend_type = 'autovacuum worker'), ''),
                   (SELECT count(*) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$')
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return new WindowSample(at, busy, steal, ours, r.GetInt64(0), r.GetInt64(1), r.GetString(2),
            r.GetInt64(3), r.GetString(4), threads, runtime, r.GetInt64(5), pause, dirty);
    }

    /// <summary>The machine's page cache waiting to be written (/proc/meminfo's Dirty), in kB; 0 when unreadable.</summary>
    public static long DirtyPageCacheKb(string meminfo = "/proc/meminfo") => ProcStat.Kb(meminfo, "Dirty") ?? 0;

    /// <summary>
    /// What happened between <paramref name="from"/> and <paramref name="to"/> that can slow a window: a checkpoint
    /// (buffers written, one finished, or the checkpointer busy rather than idle or pacing at either end: writing,
    /// syncing files), autovacuum or autoanalyze, the kernel writing back the
    /// machine's dirty page cache at once, a role's gen2 GC or GC
    /// pauses and thread-pool growth, a new WAL segment (a fresh cluster creates each one by writing 16 MB of zeros while
    /// commits wait; a cluster that has run a while recycles old ones), a GC pause of the load generator itself, and the
    /// CPU that processes outside the bench took or the hypervisor stole.
    /// </summary>
    public static WindowEvents Between(WindowSample from, WindowSample to)
    {
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(from.At, to.At).TotalSeconds;
        var others = Math.Max(0, to.MachineBusy - from.MachineBusy - (to.BenchCpu - from.BenchCpu));
        var steal = Math.Max(0, to.MachineSteal - from.MachineSteal);
        var causes = new List<string>();
        // First: when it happens, it is what every commit of the window waited for.
        if (from.DirtyKb - to.DirtyKb >= NotableWritebackKb)
            causes.Add(string.Create(CultureInfo.InvariantCulture,
                $"the kernel wrote back {(from.DirtyKb - to.DirtyKb) / 1024.0:F0} MB of dirty page cache (commits wait behind it)"));
        var buffers = to.CheckpointBuffers - from.CheckpointBuffers;
        var busyCheckpointer = new[] { from.CheckpointerWait, to.CheckpointerWait }
            .Where(w => w is not CheckpointerIdle and not CheckpointerPacing).Select(w => w.Length > 0 ? w : "running").Distinct().ToList();
        if (buffers > 0 || to.CheckpointsDone > from.CheckpointsDone || busyCheckpointer.Count > 0)
            causes.Add(string.Create(CultureInfo.InvariantCulture,
                $"checkpoint ({buffers} buffers written{(to.CheckpointsDone > from.CheckpointsDone ? ", finished" : "")}" +
                $"{(busyCheckpointer.Count > 0 ? $", checkpointer {string.Join(" then ", busyCheckpointer)}" : "")})"));
        var vacuum = string.Join(", ", new[] { from.AutovacuumRunning, to.AutovacuumRunning }.Where(s => s.Length > 0).Distinct());
        if (vacuum.Length > 0 || to.AutovacuumsDone > from.AutovacuumsDone)
            causes.Add($"autovacuum ({(vacuum.Length > 0 ? vacuum : "finished")})");
        if (to.WalSegments > from.WalSegments)
            causes.Add(string.Create(CultureInfo.InvariantCulture, $"{to.WalSegments - from.WalSegments} new WAL segment(s)"));
        var benchPause = to.BenchGcPause - from.BenchGcPause;
        if (benchPause >= NotableBenchPause)
            causes.Add(string.Create(CultureInfo.InvariantCulture, $"load generator GC paused {benchPause.TotalMilliseconds:F0} ms"));
        foreach (var (role, counters) in to.Runtime)
            if (from.Runtime.TryGetValue(role, out var before)) causes.AddRange(RuntimeCounters.Changes(role, before, counters));
        // Without the hook's counters, the pool's growth is still visible as threads named by the runtime.
        foreach (var (role, n) in to.PoolThreads)
            if (!to.Runtime.ContainsKey(role) && from.PoolThreads.TryGetValue(role, out var before) && n > before)
                causes.Add(string.Create(CultureInfo.InvariantCulture, $"{role} thread pool grew {before}→{n}"));
        return new WindowEvents(seconds, others, steal, causes);
    }

    private static int CountThreads(int pid, string name)
    {
        try
        {
            return Directory.EnumerateDirectories($"/proc/{pid}/task")
                .Count(task => ReadComm(task).StartsWith(name, StringComparison.Ordinal));
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    private static string ReadComm(string taskDir)
    {
        try { return File.ReadAllText(Path.Combine(taskDir, "comm")); }
        catch (IOException) { return ""; } // the thread ended while we looked
    }
}

/// <summary>What happened in one window: its length, the other processes' and the hypervisor's CPU, and named events.</summary>
public sealed record WindowEvents(double Seconds, double OtherCpuSeconds, double StealSeconds, IReadOnlyList<string> Causes)
{
    /// <summary>Neighbours' load worth naming in a window (cores on average).</summary>
    public const double NotableOtherCores = 0.1;

    public double OtherCores => Seconds > 0 ? OtherCpuSeconds / Seconds : 0;
    public double StealCores => Seconds > 0 ? StealSeconds / Seconds : 0;

    public string Describe()
    {
        var all = Causes.ToList();
        if (OtherCores >= NotableOtherCores) all.Add(string.Create(CultureInfo.InvariantCulture, $"other processes {OtherCores:F2} cores"));
        if (StealCores >= NotableOtherCores) all.Add(string.Create(CultureInfo.InvariantCulture, $"hypervisor steal {StealCores:F2} cores"));
        return all.Count > 0 ? string.Join("; ", all) : "no checkpoint, autovacuum, writeback burst, new WAL segment, GC pause, thread-pool growth or neighbour load seen";
    }
}
