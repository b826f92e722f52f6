using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// Which Redis commands a phase cost per unit of work, from INFO commandstats read before and after it: every command
/// is a round trip for a client and, on the prod rig, a TLS record each way, so the count explains Redis's and the
/// roles' CPU per reply. The bench's own INFO calls are left out.
/// </summary>
public static class RedisCommands
{
    public static async Task<Dictionary<string, (long Calls, double Usec)>> ReadAsync(string url)
    {
        var stats = new Dictionary<string, (long, double)>(StringComparer.Ordinal);
        foreach (var (key, value) in await RedisInfo.ReadAsync(url, "commandstats"))
        {
            if (!key.StartsWith("cmdstat_", StringComparison.Ordinal) || key is "cmdstat_info" or "cmdstat_client" or "cmdstat_hello") continue;
            var fields = value.Split(',').Select(f => f.Split('=')).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
            stats[key["cmdstat_".Length..]] = (long.Parse(fields["calls"], CultureInfo.InvariantCulture), double.Parse(fields["usec"], CultureInfo.InvariantCulture));
        }
        return stats;
    }

    /// <summary>A note: commands per unit in all, then each command's calls per unit, most first.</summary>
    public static void Add(Report report, string part, string phase, Dictionary<string, (long Calls, double Usec)> before,
        Dictionary<string, (long Calls, double Usec)> after, long units, string unit)
    {
        var n = (double)Math.Max(1, units);
        var used = after.Select(p => (Name: p.Key, Calls: p.Value.Calls - before.GetValueOrDefault(p.Key).Calls,
                Usec: p.Value.Usec - before.GetValueOrDefault(p.Key).Usec))
            .Where(c => c.Calls > 0).OrderByDescending(c => c.Calls).ToList();
        var each = string.Join(", ", used.Take(10).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Calls / n:F2}")));
        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"{part} redis{phase}: {used.Sum(c => c.Calls) / n:F1} commands/{unit} ({each}); {used.Sum(c => c.Usec) / n:F0} µs/{unit} executing"));
    }
}
