using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// Whether a run's figures were measured on a busy machine. The rule: a run is noisy when the 1-minute load average
/// at its start already exceeded the number of cores (the machine was busy before the bench added its own load), or
/// when processes outside the bench plus hypervisor steal took at least <see cref="OtherShare"/> of the machine's CPU
/// on average over the measured windows (their CPU is the machine's busy time from /proc/stat minus the bench's own
/// process trees). The load average at the end is recorded but not judged: it includes the bench's own load.
/// </summary>
public sealed record Noise(double LoadAtStart, double LoadAtEnd, int Cores, double OtherCpuSeconds, double StealSeconds, double MeasuredSeconds)
{
    public const double OtherShare = 0.10;

    /// <summary>Other processes' and the hypervisor's CPU, in cores on average over the measured windows.</summary>
    public double OtherCores => MeasuredSeconds > 0 ? (OtherCpuSeconds + StealSeconds) / MeasuredSeconds : 0;

    public bool BusyAtStart => LoadAtStart > Cores;
    public bool BusyWhileMeasuring => OtherCores >= OtherShare * Cores;
    public bool IsNoisy => BusyAtStart || BusyWhileMeasuring;

    public const string Rule = "noisy when the 1-minute load average at start exceeds the core count, or processes outside the bench " +
                               "(plus hypervisor steal) took ≥ 10 % of the machine's CPU over the measured windows";

    public string Verdict()
    {
        var other = string.Create(CultureInfo.InvariantCulture,
            $"other processes and steal {OtherCores:F2} cores on average over {MeasuredSeconds:F0} s of measured windows");
        var load = string.Create(CultureInfo.InvariantCulture, $"load average at start {LoadAtStart:F2} on {Cores} cores");
        if (!IsNoisy) return $"quiet: {load}, {other}";
        var why = new List<string>();
        if (BusyAtStart) why.Add(load);
        if (BusyWhileMeasuring) why.Add(other);
        return "**NOISY**: " + string.Join("; ", why) + " — do not quote these figures as the machine's";
    }

    /// <summary>The first number of /proc/loadavg ("0.46 2.39 6.80 4/215 5544").</summary>
    public static double OneMinute(string loadavg) =>
        double.Parse(loadavg.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
}
