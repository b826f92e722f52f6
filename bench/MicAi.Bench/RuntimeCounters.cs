using System.Globalization;

namespace MicAi.Bench;

/// <summary>One reading of a process's runtime counters, written by the bench's startup hook (StartupHook.cs).</summary>
public sealed record RuntimeCounters(long Gen0, long Gen1, long Gen2, double PauseMs, int PoolThreads, long PoolQueue)
{
    private const string HookAssembly = "MicAi.Bench.RuntimeCounters.dll";

    /// <summary>Where every process started by this bench run writes its counters (one file per pid); removed at exit.</summary>
    public static readonly string Directory = CreateDirectory();

    /// <summary>
    /// Whether the roles load the hook: MICAI_BENCH_RUNTIME_COUNTERS=1 or 0 decides; unset, they do unless the run
    /// measures the footprint (the hook adds about 1 MB of idle RSS per role, and idle RSS has a target).
    /// </summary>
    public static bool Enabled(bool measuringFootprint) =>
        System.Environment.GetEnvironmentVariable("MICAI_BENCH_RUNTIME_COUNTERS") switch { "1" => true, "0" => false, _ => !measuringFootprint };

    /// <summary>The variables that load the hook into a .NET process the bench starts (a Host role, the Functions worker).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Environment(bool measuringFootprint)
    {
        var hook = Path.Combine(AppContext.BaseDirectory, HookAssembly);
        if (!File.Exists(hook) || !Enabled(measuringFootprint)) yield break;
        yield return new("DOTNET_STARTUP_HOOKS", hook);
        yield return new("MICAI_BENCH_COUNTERS_DIR", Directory);
    }

    private static string CreateDirectory()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("micai-bench-counters-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(dir, recursive: true); }
            catch (IOException) { } // a role still writing its last reading: the temp dir stays
        };
        return dir;
    }

    /// <summary>The latest reading of <paramref name="pid"/>, or null when it wrote none (no hook, not started yet).</summary>
    public static RuntimeCounters? Read(int pid)
    {
        try { return Parse(File.ReadAllText(Path.Combine(Directory, pid.ToString(CultureInfo.InvariantCulture)))); }
        catch (IOException) { return null; }
    }

    /// <summary>"gen0 gen1 gen2 pauseMs poolThreads poolQueue …", as the hook writes it (the GC sizes after these are not read).</summary>
    public static RuntimeCounters? Parse(string line)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 6) return null;
        var i = CultureInfo.InvariantCulture;
        return new RuntimeCounters(long.Parse(f[0], i), long.Parse(f[1], i), long.Parse(f[2], i), double.Parse(f[3], i), int.Parse(f[4], i), long.Parse(f[5], i));
    }

    /// <summary>What changed between two readings that can slow a window: a gen2 GC, GC pauses, thread-pool injection.</summary>
    public static IEnumerable<string> Changes(string role, RuntimeCounters from, RuntimeCounters to)
    {
        var pause = to.PauseMs - from.PauseMs;
        var gcs = (Gen0: to.Gen0 - from.Gen0, Gen1: to.Gen1 - from.Gen1, Gen2: to.Gen2 - from.Gen2);
        if (gcs.Gen2 > 0 || pause >= 5)
            yield return string.Create(CultureInfo.InvariantCulture, $"{role} GC gen0 ×{gcs.Gen0}, gen1 ×{gcs.Gen1}, gen2 ×{gcs.Gen2}, paused {pause:F0} ms");
        if (to.PoolThreads > from.PoolThreads)
            yield return string.Create(CultureInfo.InvariantCulture, $"{role} thread pool grew {from.PoolThreads}→{to.PoolThreads} (queue {to.PoolQueue})");
    }
}
