using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// CPU time of the whole machine (/proc/stat) and of the bench's own process trees (/proc/[pid]/stat), so the CPU
/// that other processes took while a figure was measured — a neighbour's build or test run on a shared machine — can
/// be told apart from the bench's own load. Times are in seconds.
/// </summary>
public static class MachineCpu
{
    private const double ClockTicks = 100; // USER_HZ, as in ProcStat

    /// <summary>Busy time of every core (user, nice, system, irq, softirq) and time stolen by the hypervisor.</summary>
    public static (double Busy, double Steal) Read(string statFile = "/proc/stat")
    {
        var line = File.ReadLines(statFile).First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        return ParseCpuLine(line);
    }

    /// <summary>The aggregate "cpu  user nice system idle iowait irq softirq steal …" line.</summary>
    public static (double Busy, double Steal) ParseCpuLine(string line)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var busy = f[0] + f[1] + f[2] + f[5] + f[6]; // guest time is already counted in user
        var steal = f.Length > 7 ? f[7] : 0;
        return (busy / ClockTicks, steal / ClockTicks);
    }

    /// <summary>
    /// CPU of <paramref name="roots"/> and every process below them: user + system of the live ones, plus what each
    /// had collected from children that already exited (cutime, cstime), so a closed Postgres backend or a stopped
    /// role still counts. A process tree of this machine only; a pid that is gone counts 0.
    /// </summary>
    public static double TreeSeconds(IReadOnlyCollection<int> roots)
    {
        var all = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (ReadStat(pid) is { } stat) all[pid] = stat;
        }
        var children = all.GroupBy(p => p.Value.Parent).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList());
        var seen = new HashSet<int>();
        var queue = new Queue<int>(roots.Where(all.ContainsKey));
        long ticks = 0;
        while (queue.TryDequeue(out var pid))
        {
            if (!seen.Add(pid)) continue;
            ticks += all[pid].Ticks;
            foreach (var child in children.GetValueOrDefault(pid) ?? []) queue.Enqueue(child);
        }
        return ticks / ClockTicks;
    }

    /// <summary>Parent pid and utime + stime + cutime + cstime of one process, or null when it is gone.</summary>
    public static (int Parent, long Ticks)? ReadStat(int pid)
    {
        try { return ParseStat(File.ReadAllText($"/proc/{pid}/stat")); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public static (int Parent, long Ticks) ParseStat(string stat)
    {
        // Field 2 (comm) may hold spaces and parentheses: fields are counted after its last ')'. ppid is field 4,
        // utime..cstime are 14–17.
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int n) => long.Parse(f[n - 3], CultureInfo.InvariantCulture);
        return ((int)Field(4), Field(14) + Field(15) + Field(16) + Field(17));
    }
}
