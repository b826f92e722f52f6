using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// Signed webhook POSTs against the api alone: closed loop (max throughput, the median of its windows, and its ratio
/// to the same run's Postgres ceiling) and a fixed rate (latency at a steady load). Every accepted webhook is
/// committed to Postgres and queued in Redis before the 200, as in production.
/// </summary>
public sealed class IngestPart(BenchStack stack, Report report, BenchProcesses processes, Spread? ceiling, Spread? pgbenchCeiling)
{
    private const string Part = "ingest";
    private readonly BenchOptions options = stack.Options;

    public async Task RunAsync()
    {
        var api = stack.Api ?? throw new InvalidOperationException("ingest needs the api role");
        var payloads = new Payloads(stack.AppSecret, stack.PhoneNumberIds, options.Duplicates, seed: 23);
        using var sender = new WebhookSender(api.BaseAddress, Math.Max(options.IngestConcurrency, 64));

        if (options.Warmup > TimeSpan.Zero) await sender.ClosedLoopAsync("warm-up", options.IngestConcurrency, options.Warmup, payloads.Next);

        var cpuBefore = await stack.CpuAsync();
        var sampler = await stack.SamplerAsync(processes);
        var max = await sender.ClosedLoopAsync("max", options.IngestConcurrency, options.IngestDuration, payloads.Next, start: sampler.Start);
        var events = await sampler.StopAsync(max.End);
        var cpuAfter = await stack.CpuAsync();
        var rates = WindowCounts.Rates(max.Timed.Select(t => t.At), max.Start, max.End, options.Window);
        var spread = WindowFigure.Add(report, Part, $"webhooks/s, closed loop ({options.IngestConcurrency} in flight, {max.Elapsed.TotalSeconds:F0} s)",
            rates, events, WindowFigure.Label(options.Window), v => Report.Rate(v, "/s"), "≥ 5,000 /s", m => m >= 5000);
        if (ceiling is { Count: > 0 } c)
        {
            var ratio = spread.Median / c.Median;
            report.Add(new Row(Part, "ingest ÷ the same run's Postgres ceiling (medians; the Host's path)",
                ratio.ToString("F2", CultureInfo.InvariantCulture), "≥ 0.50", ratio >= 0.5));
        }
        if (pgbenchCeiling is { Count: > 0 } p)
            report.Add(new Row(Part, "ingest ÷ pgbench's ceiling (medians; the Host's path, C client)",
                (spread.Median / p.Median).ToString("F2", CultureInfo.InvariantCulture)));
        report.Add(new Row(Part, "latency p50 / p95 / p99 / max at max",
            $"{Report.Ms(max.Latencies.P50)} / {Report.Ms(max.Latencies.P95)} / {Report.Ms(max.Latencies.P99)} / {Report.Ms(max.Latencies.Max)}"));
        report.Add(new Row(Part, "errors (non-200 or failed) at max", $"{max.Errors} of {max.Sent}", "0", max.Errors == 0));
        CpuProfile.Add(report, Part, cpuBefore, cpuAfter, max.Elapsed, max.Sent, "webhook");

        sampler = await stack.SamplerAsync(processes);
        var steady = await sender.FixedRateAsync("fixed", options.IngestRate, options.IngestDuration, payloads.Next, start: sampler.Start);
        events = await sampler.StopAsync(steady.End);
        var rate = options.IngestRate.ToString("N0", CultureInfo.InvariantCulture);
        report.Add(new Row(Part, $"latency p50 / p95 at {rate}/s ({steady.Sent} webhooks)", $"{Report.Ms(steady.Latencies.P50)} / {Report.Ms(steady.Latencies.P95)}"));
        report.Add(new Row(Part, $"latency p99 at {rate}/s", Report.Ms(steady.Latencies.P99), "< 10 ms", steady.Latencies.P99 < 10));
        report.Add(new Row(Part, $"latency max at {rate}/s", Report.Ms(steady.Latencies.Max)));
        // The tail by window: a slow second (and what happened in it) shows, where the whole-phase p99 only moves.
        WindowFigure.Add(report, Part, $"latency p99 per window at {rate}/s",
            WindowCounts.Quantiles(steady.Timed, steady.Start, steady.End, options.Window, 0.99), events, WindowFigure.Label(options.Window), Report.Ms, lowerIsBetter: true);
        report.Add(new Row(Part, $"errors at {rate}/s", $"{steady.Errors} of {steady.Sent}", "0", steady.Errors == 0));
        if (steady.MaxPacerLagMs > 20)
            report.Note($"ingest {rate}/s: the load generator fell up to {steady.MaxPacerLagMs:F0} ms behind its schedule (CPU contention).");
        stack.ThrowIfAnyExited();
    }
}
