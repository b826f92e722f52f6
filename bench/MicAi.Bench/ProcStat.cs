using System.Globalization;

namespace MicAi.Bench;

/// <summary>Reads /proc: resident memory and CPU time of any process, the machine's cores, memory and load.</summary>
public static class ProcStat
{
    private const double ClockTicks = 100; // USER_HZ: 100 on every Linux the bench runs on

    public static double RssMb(int pid) => Kb($"/proc/{pid}/status", "VmRSS") is { } kb ? kb / 1024.0 : double.NaN;

    /// <summary>
    /// The value of a "Name:   1234 kB" line of a /proc file (a process's status, the machine's meminfo), in kB; null
    /// when the file cannot be read (the process is gone) or has no such line.
    /// </summary>
    public static long? Kb(string file, string name)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
                if (line.Length > name.Length && line[name.Length] == ':' && line.StartsWith(name, StringComparison.Ordinal)) return KbOf(line);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>
    /// Where a process's resident memory is, from /proc/pid/smaps: the .NET shared framework's files (mapped code,
    /// shared by every .NET process), the app's own assemblies, JIT-compiled code and stubs (the W^X double mapping),
    /// and the rest (GC and native heaps, stacks, other libraries), in MB.
    /// </summary>
    public static string RssBreakdown(int pid, string appDir)
    {
        double framework = 0, app = 0, jit = 0, rest = 0;
        try
        {
            var name = "";
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
            {
                if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-'))
                {
                    var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                    name = parts.Length > 5 ? parts[5] : "";
                }
                else if (line.StartsWith("Rss:", StringComparison.Ordinal))
                {
                    var mb = Mb(line);
                    if (name.Contains("/shared/Microsoft.", StringComparison.Ordinal)) framework += mb;
                    else if (name.StartsWith(appDir, StringComparison.Ordinal)) app += mb;
                    else if (name.Contains("doublemapper", StringComparison.Ordinal)) jit += mb;
                    else rest += mb;
                }
            }
        }
        catch (IOException) { return "gone"; }
        catch (UnauthorizedAccessException) { return "unreadable"; }
        return string.Create(CultureInfo.InvariantCulture, $"framework {framework:F1}, app {app:F1}, JIT code {jit:F1}, heaps and rest {rest:F1} MB");
    }

    /// <summary>A "Name:   1234 kB" line of /proc/pid/status, smaps or meminfo, in kB.</summary>
    private static long KbOf(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static double Mb(string line) => KbOf(line) / 1024.0;

    /// <summary>utime + stime of /proc/pid/stat in seconds; 0 when the process is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 2 (comm) may hold spaces: parse after its closing parenthesis. utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicks;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    public static string MemTotal() => Kb("/proc/meminfo", "MemTotal") is { } kb ? $"{kb / 1024.0 / 1024.0:F1} GiB" : "unknown";

    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
