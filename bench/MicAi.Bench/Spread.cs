using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// One figure measured over repeated windows: the median is the result, the interquartile range and the range show
/// how much the windows disagreed. Quantiles interpolate linearly between the closest ranks (R's type 7, numpy's
/// default), so the median of an even count is the mean of the middle two. A single noisy window (a checkpoint, a
/// neighbour's build) moves the median little, and the best window is never the result.
/// </summary>
public sealed record Spread(int Count, double Median, double Q1, double Q3, double Min, double Max)
{
    /// <summary>A window slower than this share of the median is named as slow (with what happened in it).</summary>
    public const double SlowShare = 0.8;

    public static Spread Of(IReadOnlyCollection<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return new Spread(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        return new Spread(sorted.Length, Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75), sorted[0], sorted[^1]);
    }

    /// <summary>The q-quantile (0 ≤ q ≤ 1) of ascending values, interpolated between the closest ranks.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var h = (sorted.Count - 1) * Math.Clamp(q, 0, 1);
        var low = (int)Math.Floor(h);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>Indexes of the windows whose value is below <see cref="SlowShare"/> of the median (throughput figures).</summary>
    public static IReadOnlyList<int> SlowWindows(IReadOnlyList<double> values)
    {
        var median = Of(values).Median;
        return Enumerable.Range(0, values.Count).Where(i => values[i] < SlowShare * median).ToList();
    }

    /// <summary>"5,120 /s (IQR 5,010–5,240, range 4,100–5,300; 20 windows)" with the given number format.</summary>
    public string Format(Func<double, string> figure, string windowLabel = "windows") =>
        Count == 0
            ? "–"
            : $"{figure(Median)} (IQR {Bare(figure, Q1)}–{Bare(figure, Q3)}, range {Bare(figure, Min)}–{Bare(figure, Max)}; {Count.ToString(CultureInfo.InvariantCulture)} {windowLabel})";

    /// <summary>The number without its unit, so the spread reads "5,010–5,240" rather than "5,010 /s–5,240 /s".</summary>
    private static string Bare(Func<double, string> figure, double value) => figure(value).Split(' ')[0];
}

/// <summary>Completions bucketed into consecutive windows of equal width, as a rate per second each.</summary>
public static class WindowCounts
{
    /// <summary>
    /// Per-second rate in each whole window from <paramref name="start"/> (Stopwatch ticks): completions at or after
    /// the start of window i and before its end count for window i; a partial window at the end is left out.
    /// </summary>
    public static double[] Rates(IEnumerable<long> completedAt, long start, long end, TimeSpan width)
    {
        var ticks = (long)(width.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var count = (int)((end - start) / ticks);
        var buckets = new long[Math.Max(0, count)];
        foreach (var t in completedAt)
        {
            if (t < start) continue;
            var i = (t - start) / ticks;
            if (i < count) buckets[i]++;
        }
        return buckets.Select(n => n / width.TotalSeconds).ToArray();
    }

    /// <summary>Each whole window's latencies (by when the request was due or sent), as that window's quantile.</summary>
    public static double[] Quantiles(IReadOnlyList<(long At, double Ms)> samples, long start, long end, TimeSpan width, double quantile)
    {
        var ticks = (long)(width.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var count = (int)((end - start) / ticks);
        var buckets = Enumerable.Range(0, Math.Max(0, count)).Select(_ => new List<double>()).ToArray();
        foreach (var (at, ms) in samples)
        {
            if (at < start) continue;
            var i = (at - start) / ticks;
            if (i < count) buckets[i].Add(ms);
        }
        return buckets.Select(b => Spread.Quantile(b.Order().ToArray(), quantile)).ToArray();
    }
}
