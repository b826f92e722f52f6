namespace MicAi.Bench;

/// <summary>Exact percentiles over every recorded sample (runs are short enough to keep them all).</summary>
public sealed class Latencies
{
    private readonly double[] sorted;

    public Latencies(double[] samples)
    {
        sorted = samples;
        Array.Sort(sorted);
    }

    public int Count => sorted.Length;
    public double P50 => At(0.50);
    public double P95 => At(0.95);
    public double P99 => At(0.99);
    public double Max => sorted.Length == 0 ? double.NaN : sorted[^1];

    public double At(double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    public override string ToString() => $"p50 {P50:F1} / p95 {P95:F1} / p99 {P99:F1} / max {Max:F1} ms";
}
