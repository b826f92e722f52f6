using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// What tracing and metrics cost: the end-to-end part in rounds of four, each run on a fresh stack after the same
/// warm-up, in the order off, on, on, off (with nothing exported, then with every Host role exporting traces and metrics
/// over OTLP to a local sink). The mirrored order cancels a steady drift of the machine over a round, which a plain
/// off-then-on order would book to telemetry; several rounds (<c>--otel-rounds</c>, 2 by default: 8 runs) and medians
/// keep one disturbed run from deciding the figure, which a single round's means did (the same code measured from
/// −8 % to +43 % on a shared machine). The figure held to the target is the Host roles' CPU per reply at max,
/// the median of the "on" runs over the median of the "off" runs (≤ +10 %); each run's figure is listed.
/// </summary>
public sealed class TelemetryCostPart(BenchOptions options, Report report, BenchProcesses processes)
{
    private const string Part = "otel";

    public async Task RunAsync()
    {
        await using var sink = await OtlpSink.StartAsync();
        var exporting = options with { HostEnv = [.. options.HostEnv, .. sink.Environment()] };
        List<double> off = [], on = [];
        for (var round = 1; round <= options.OtelRounds; round++)
        {
            foreach (var (exports, label) in new[] { (false, "off"), (true, "on"), (true, "on"), (false, "off") })
            {
                var runs = exports ? on : off;
                if (await RunOnceAsync($"{label} {runs.Count + 1}", exports ? exporting : options) is { } cpu) runs.Add(cpu);
            }
        }
        report.Add(new Row(Part, "OTLP exports received by the sink", $"{sink.Posts:N0} posts, {sink.Bytes / 1024.0 / 1024.0:F1} MB"));
        if (off.Count == 0 || on.Count == 0) return;
        var (offMedian, onMedian) = (Spread.Of(off).Median, Spread.Of(on).Median);
        var rise = onMedian / offMedian - 1;
        report.Add(new Row(Part, $"Host roles' CPU per reply, telemetry off → on (OTLP to a local sink; medians of {off.Count} and {on.Count} runs, rounds of off on on off)",
            $"{offMedian * 1e6:F0} µs → {onMedian * 1e6:F0} µs ({rise * 100:+0.0;-0.0} %; runs: off {Runs(off)} µs, on {Runs(on)} µs)",
            "≤ +10 %", rise <= 0.10));
    }

    private static string Runs(List<double> values) => string.Join(" / ", values.Select(v => (v * 1e6).ToString("F0", CultureInfo.InvariantCulture)));

    /// <summary>
    /// Warm-up before each measured phase, long enough for the tiered JIT to have compiled the hot path at its final
    /// tier in both runs: with a short one the first phase also measures compiling, and telemetry on has more to compile.
    /// </summary>
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(10);

    private async Task<double?> RunOnceAsync(string label, BenchOptions run)
    {
        if (run.Warmup < Warmup) run = run with { Warmup = Warmup };
        await using var stack = await BenchStack.CreateAsync(run);
        await new FootprintPart(stack, report).StartRolesAsync();
        var e2e = new EndToEndPart(stack, report, processes, $"{Part} {label}");
        await e2e.RunAsync();
        report.Note($"otel {label}: Host roles' CPU per reply at max {(e2e.HostCpuPerReply is { } c ? (c * 1e6).ToString("F0", CultureInfo.InvariantCulture) + " µs" : "not measured")}.");
        return e2e.HostCpuPerReply;
    }
}
