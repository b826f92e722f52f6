using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// What tracing and metrics cost: the end-to-end part twice in one run, on fresh stacks, first with nothing exported
/// and then with every Host role exporting traces and metrics over OTLP to a local sink. The figure held to the issue's
/// target is the Host roles' CPU per reply at max, on over off (≤ +10 %).
/// </summary>
public sealed class TelemetryCostPart(BenchOptions options, Report report, BenchProcesses processes)
{
    private const string Part = "otel";

    public async Task RunAsync()
    {
        var off = await RunOnceAsync("off", options);
        await using var sink = await OtlpSink.StartAsync();
        var on = await RunOnceAsync("on", options with { HostEnv = [.. options.HostEnv, .. sink.Environment()] });
        report.Add(new Row(Part, "OTLP exports received by the sink", $"{sink.Posts:N0} posts, {sink.Bytes / 1024.0 / 1024.0:F1} MB"));
        if (off is not { } o || on is not { } n) return;
        var rise = n / o - 1;
        report.Add(new Row(Part, "Host roles' CPU per reply, telemetry off → on (OTLP to a local sink)",
            $"{o * 1e6:F0} µs → {n * 1e6:F0} µs ({rise * 100:+0.0;-0.0} %)", "≤ +10 %", rise <= 0.10));
    }

    private async Task<double?> RunOnceAsync(string label, BenchOptions run)
    {
        await using var stack = await BenchStack.CreateAsync(run);
        await new FootprintPart(stack, report).StartRolesAsync();
        var e2e = new EndToEndPart(stack, report, processes, $"{Part} {label}");
        await e2e.RunAsync();
        report.Note($"otel {label}: Host roles' CPU per reply at max {(e2e.HostCpuPerReply is { } c ? (c * 1e6).ToString("F0", CultureInfo.InvariantCulture) + " µs" : "not measured")}.");
        return e2e.HostCpuPerReply;
    }
}
