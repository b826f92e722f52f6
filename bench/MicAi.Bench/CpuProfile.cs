using System.Globalization;

namespace MicAi.Bench;

/// <summary>Where the CPU went during a phase: each role, Postgres, Redis and the load generator itself.</summary>
public static class CpuProfile
{
    public static void Add(Report report, string part, Dictionary<string, double> before, Dictionary<string, double> after,
        TimeSpan elapsed, long units, string unit, string phase = "")
    {
        var used = after.Select(p => (Name: p.Key, Seconds: p.Value - before.GetValueOrDefault(p.Key)))
            .Where(p => p.Seconds > 0).OrderByDescending(p => p.Seconds).ToList();
        var total = used.Sum(p => p.Seconds);
        report.Add(new Row(part, $"CPU while loaded{phase} (% of one core)",
            string.Join(", ", used.Select(p => $"{p.Name} {Percent(p.Seconds / elapsed.TotalSeconds)}")) +
            $"; total {Percent(total / elapsed.TotalSeconds)} of {Environment.ProcessorCount * 100}%"));
        if (units > 0)
            report.Add(new Row(part, $"CPU per {unit}{phase}",
                string.Join(", ", used.Select(p => $"{p.Name} {Micro(p.Seconds / units)}")) + $"; total {Micro(total / units)}"));
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";
    private static string Micro(double seconds) => (seconds * 1e6).ToString("F0", CultureInfo.InvariantCulture) + " µs";
}
