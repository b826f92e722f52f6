using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace MicAi.Bench;

/// <summary>One line of the results table: a figure, its target, and whether the target was met.</summary>
public sealed record Row(string Part, string Figure, string Measured, string Target = "", bool? Met = null);

/// <summary>Collects the rows and notes of a run and renders them as the markdown results file.</summary>
public sealed class Report(BenchOptions options)
{
    private readonly List<Row> rows = [];
    private readonly List<string> notes = [];
    private readonly Dictionary<string, long> checks = [];
    private readonly List<(string Key, string Value)> environment = [];
    private readonly DateTimeOffset startedAt = DateTimeOffset.UtcNow;
    private readonly string loadAtStart = ProcStat.LoadAverage();
    private double otherCpu, steal, measured;

    public IReadOnlyList<Row> Rows => rows;
    public bool CorrectnessFailed { get; private set; }

    /// <summary>Every correctness figure by "part: figure", e.g. "e2e: lost replies (all phases)".</summary>
    public IReadOnlyDictionary<string, long> Checks => checks;

    public void Add(Row row)
    {
        rows.Add(row);
        Console.WriteLine($"  {row.Part,-10} {row.Figure,-44} {row.Measured,-28} {row.Target} {Mark(row.Met)}");
    }

    public void Note(string text)
    {
        notes.Add(text);
        Console.WriteLine("  note: " + text);
    }

    public void Environment(string key, string value) => environment.Add((key, value));

    /// <summary>Windows that were measured: their other processes' CPU and steal count towards the run's noise verdict.</summary>
    public void Measured(IEnumerable<WindowEvents> windows)
    {
        foreach (var w in windows)
        {
            otherCpu += w.OtherCpuSeconds;
            steal += w.StealSeconds;
            measured += w.Seconds;
        }
    }

    /// <summary>Whether the machine was busy while this run measured (see <see cref="Noise"/> for the rule).</summary>
    public Noise MachineNoise(string? loadAtEnd = null) => new(Noise.OneMinute(loadAtStart), Noise.OneMinute(loadAtEnd ?? ProcStat.LoadAverage()),
        System.Environment.ProcessorCount, otherCpu, steal, measured);

    /// <summary>A correctness check (lost or duplicated replies): the run fails when it does not hold.</summary>
    public void Check(string part, string figure, long value)
    {
        checks[$"{part}: {figure}"] = value;
        Add(new Row(part, figure, value.ToString(CultureInfo.InvariantCulture), "0", value == 0));
        if (value != 0) CorrectnessFailed = true;
    }

    public string Markdown()
    {
        var loadAtEnd = ProcStat.LoadAverage();
        var noise = MachineNoise(loadAtEnd);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# MicAi bench — {options.Scenario} — {startedAt:yyyy-MM-dd HH:mm} UTC{(noise.IsNoisy ? " — NOISY" : "")}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{options.Command}`");
        md.AppendLine();
        md.AppendLine("| Machine | |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| CPU | {System.Environment.ProcessorCount} cores, {ProcStat.CpuModel()} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Memory | {ProcStat.MemTotal()} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Load average at start / end | {loadAtStart} / {loadAtEnd} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Noise | {noise.Verdict()} ({Noise.Rule}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| OS | {RuntimeInformation.OSDescription} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| .NET | {RuntimeInformation.FrameworkDescription} |");
        foreach (var (k, v) in environment) md.AppendLine(CultureInfo.InvariantCulture, $"| {k} | {v} |");
        md.AppendLine();
        md.AppendLine("Throughputs are the median of repeated windows (IQR = interquartile range, range = min–max of the windows); " +
                      "a window below 0.8 × the median (or a latency above 1.25 ×) is named in the notes with what happened in it.");
        md.AppendLine();
        md.AppendLine("| Part | Figure | Measured | Target | Met |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var r in rows) md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Part} | {r.Figure} | {r.Measured} | {r.Target} | {Mark(r.Met)} |");
        if (notes.Count > 0)
        {
            md.AppendLine();
            foreach (var n in notes) md.AppendLine("- " + n);
        }
        return md.ToString();
    }

    public string? Write()
    {
        if (options.OutDir is null) return null;
        Directory.CreateDirectory(options.OutDir);
        // A noisy run never takes the place of a quiet one's file: it is written beside it, named as noisy.
        var noisy = MachineNoise().IsNoisy ? "-noisy" : "";
        var path = Path.Combine(options.OutDir, $"{startedAt:yyyy-MM-dd}-{options.Scenario}{(options.Rig is { } rig ? "-" + rig : "")}{noisy}.md");
        File.WriteAllText(path, Markdown());
        return path;
    }

    private static string Mark(bool? met) => met switch { true => "yes", false => "**no**", null => "" };

    public static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms.ToString(ms < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";
    public static string Rate(double perSecond, string unit) => perSecond.ToString("N0", CultureInfo.InvariantCulture) + " " + unit;
    public static string Mb(double mb) => double.IsNaN(mb) ? "–" : mb.ToString("F1", CultureInfo.InvariantCulture) + " MB";
}
