using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// What tracing and metrics cost: the end-to-end part four times in one run, each on a fresh stack after the same
/// warm-up, in the order off, on, on, off (with nothing exported, then with every Host role exporting traces and metrics
/// over OTLP to a local sink). The mirrored order cancels a steady drift of the machine over the run, which a plain
/// off-then-on order would book to telemetry. The figure held to the target is the Host roles' CPU per reply
/// at max, the mean of the two "on" runs over the mean of the two "off" runs (≤ +10 %); each run's figure is listed.
/// </summary>
public sealed class TelemetryCostPart(BenchOptions options, Report report, BenchProcesses processes)
{
    private const string Part = "otel";

    public async Task RunAsync()
    {
        await using var sink = await OtlpSink.StartAsync();
        var exporting = options with { HostEnv = [.. options.HostEnv, .. sink.Environment()] };
        var off1 = await RunOnceAsync("off 1", options);
        var on1 = await RunOnceAsync("on 1", exporting);
        var on2 = await RunOnceAsync("on 2", exporting);
        var off2 = await RunOnceAsync("off 2", options);
        report.Add(new Row(Part, "OTLP exports received by the sink", $"{sink.Posts:N0} posts, {sink.Bytes / 1024.0 / 1024.0:F1} MB"));
        if (off1 is not { } a || on1 is not { } b || on2 is not { } c || off2 is not { } d) return;
        var (off, on) = ((a + d) / 2, (b + c) / 2);
        var rise = on / off - 1;
        report.Add(new Row(Part, "Host roles' CPU per reply, telemetry off → on (OTLP to a local sink; mean of 2 runs each, order off on on off)",
            $"{off * 1e6:F0} µs → {on * 1e6:F0} µs ({rise * 100:+0.0;-0.0} %; runs: off {a * 1e6:F0} / {d * 1e6:F0} µs, on {b * 1e6:F0} / {c * 1e6:F0} µs)",
            "≤ +10 %", rise <= 0.10));
    }

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
