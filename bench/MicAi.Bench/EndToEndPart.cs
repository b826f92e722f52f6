using System.Diagnostics;
using System.Globalization;

namespace MicAi.Bench;

/// <summary>
/// Webhook posted → reply received at the Graph stub. A fixed-rate phase (latency at a steady load) and a max phase
/// (closed loop on replies: at most N messages unanswered, a new webhook for every reply) for sustained replies/s.
/// Every expected reply is accounted for: lost and duplicated replies fail the run.
/// </summary>
public sealed class EndToEndPart(BenchStack stack, Report report, BenchProcesses processes, string part = "e2e")
{
    private readonly string Part = part;
    private readonly BenchOptions options = stack.Options;
    private readonly Payloads payloads = new(stack.AppSecret, stack.PhoneNumberIds, stack.Options.Duplicates, seed: 11);
    private long postErrors;

    /// <summary>The Host roles' CPU seconds per reply in the max phase (null until it ran).</summary>
    public double? HostCpuPerReply { get; private set; }

    /// <summary>
    /// The Host roles' CPU seconds per reply in the fixed-rate phase, from its first webhook until its last reply (null
    /// until it ran). Both configurations of a comparison do the same work here, so a difference is what the change costs;
    /// at max, the machine is saturated and a slower configuration also pays for smaller batches and contention.
    /// </summary>
    public double? HostCpuPerReplyAtRate { get; private set; }

    public async Task RunAsync()
    {
        var api = stack.Api ?? throw new InvalidOperationException("e2e needs the api role");
        using var sender = new WebhookSender(api.BaseAddress, 64);

        if (options.E2eMessages is { } count)
        {
            await FixedRateAsync(sender, $"{count} messages at {options.E2eRate:N0}/s", TimeSpan.Zero, count, record: true);
        }
        else
        {
            var warmup = options.E2eWarmup ?? options.Warmup;
            if (warmup > TimeSpan.Zero) await FixedRateAsync(sender, "warm-up", warmup, null, record: false);
            await FixedRateAsync(sender, $"{options.E2eRate:N0}/s", options.E2eRateDuration, null, record: true);
            await MaxAsync(sender, "");
            // The same phase again with the default agent holding RuleAgentSize rules that never match: what a big rule
            // set costs per message, next to the plain agent in the same run.
            await RuleAgent.SeedAsync(stack.Db, RuleAgent.Size);
            await MaxAsync(sender, $" with a {RuleAgent.Size}-rule agent");
        }
        stack.ThrowIfAnyExited();

        var t = stack.Tracker;
        report.Add(new Row(Part, "webhooks expecting a reply / replied", $"{t.Expected} / {t.AnsweredCount}"));
        report.Add(new Row(Part, "webhook POSTs refused or failed", postErrors.ToString(CultureInfo.InvariantCulture), "0", postErrors == 0));
        report.Check(Part, "lost replies (all phases)", t.Lost);
        report.Check(Part, "duplicated replies (all phases)", t.Duplicated);
        report.Check(Part, "replies to messages never sent", t.Unexpected);
    }

    private Webhook Next(ReplyTracker.Phase phase)
    {
        var webhook = payloads.Next();
        if (!webhook.IsDuplicate) stack.Tracker.Expect(webhook.Wamid, phase);
        return webhook;
    }

    private void Done(Webhook webhook, bool ok)
    {
        if (ok) return;
        Interlocked.Increment(ref postErrors);
        if (!webhook.IsDuplicate) stack.Tracker.Forget(webhook.Wamid);
    }

    private async Task FixedRateAsync(WebhookSender sender, string name, TimeSpan duration, long? count, bool record)
    {
        var phase = new ReplyTracker.Phase(name);
        var profile = record ? await PhaseProfile.StartAsync(stack) : null;
        var cpuBefore = record ? await stack.CpuAsync() : null;
        var started = Stopwatch.GetTimestamp();
        // A timed phase is also read window by window, beside what happened in each (GC, checkpoint, autovacuum).
        var sampler = record && count is null ? await stack.SamplerAsync(processes) : null;
        var load = await sender.FixedRateAsync(name, options.E2eRate, duration, () => Next(phase), Done, count, sampler?.Start);
        var events = sampler is null ? null : await sampler.StopAsync(load.End);
        await stack.Tracker.DrainAsync(phase, options.DrainTimeout, CancellationToken.None);
        if (cpuBefore is null) return;
        var cpuAfter = await stack.CpuAsync();
        CpuProfile.Add(report, Part, cpuBefore, cpuAfter, Stopwatch.GetElapsedTime(started), phase.Answered, "reply", $" at {name}");
        if (phase.Answered > 0) HostCpuPerReplyAtRate = HostCpu(cpuBefore, cpuAfter) / phase.Answered;
        await profile!.AddAsync(report, Part, phase.Answered, $" at {name}");
        var lat = phase.Latencies();
        report.Add(new Row(Part, $"replies at {name}", $"{phase.Answered} of {phase.Expected} in {load.Elapsed.TotalSeconds:F1} s"));
        report.Add(new Row(Part, $"webhook → reply p50 / p95 at {name}", $"{Report.Ms(lat.P50)} / {Report.Ms(lat.P95)}"));
        report.Add(new Row(Part, $"webhook → reply p99 at {name}", Report.Ms(lat.P99), "< 50 ms", lat.P99 < 50)); // issue 20's targets, as bench/README's table
        report.Add(new Row(Part, $"webhook → reply max at {name}", Report.Ms(lat.Max)));
        // The tail by window (of the reply's arrival): a slow second and what happened in it show, where the phase's p99 only moves.
        if (events is not null)
            WindowFigure.Add(report, Part, $"webhook → reply p99 per window at {name}",
                WindowCounts.Quantiles(phase.Timed(), load.Start, load.End, options.Window, 0.99), events, WindowFigure.Label(options.Window), Report.Ms, lowerIsBetter: true);
        if (load.MaxPacerLagMs > 20) report.Note($"e2e {name}: the load generator fell up to {load.MaxPacerLagMs:F0} ms behind its schedule (CPU contention).");
    }

    /// <param name="variant">Names the phase's rows apart from the plain agent's ("" for the plain agent).</param>
    private async Task MaxAsync(WebhookSender sender, string variant)
    {
        var phase = new ReplyTracker.Phase("max" + variant);
        var slots = new SemaphoreSlim(options.E2eInFlight);
        void Free(string _) => slots.Release();
        stack.Tracker.Answered += Free;

        var profile = await PhaseProfile.StartAsync(stack);
        var cpuBefore = await stack.CpuAsync();
        var linesBefore = stack.Roles.ToDictionary(r => r.Name, r => r.OutputLines);
        var sampler = await stack.SamplerAsync(processes);
        var start = sampler.Start;
        var stopAt = start + (long)(options.E2eMaxDuration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var left = stopAt - Stopwatch.GetTimestamp();
                if (left <= 0 || !await slots.WaitAsync(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency))) return;
                var webhook = Next(phase);
                var (ok, _) = await sender.PostAsync(webhook);
                Done(webhook, ok);
                if (webhook.IsDuplicate || !ok) slots.Release(); // no reply will free this slot
            }
        })));
        var end = Stopwatch.GetTimestamp();
        var events = await sampler.StopAsync(end);
        var cpuAfter = await stack.CpuAsync();
        var elapsed = Stopwatch.GetElapsedTime(start, end);
        var arrivals = phase.Arrivals();
        var answeredInWindow = arrivals.Count(t => t >= start && t < end);
        var mean = answeredInWindow / elapsed.TotalSeconds;
        // The first window is ramp-up (the pipeline fills): it is left out when there are others.
        var rates = WindowCounts.Rates(arrivals, start, end, options.Window);
        var skip = rates.Length > 1 ? 1 : 0;
        await stack.Tracker.DrainAsync(phase, options.DrainTimeout, CancellationToken.None);
        stack.Tracker.Answered -= Free;

        var lat = phase.Latencies();
        WindowFigure.Add(report, Part, $"replies/s at max{variant}, {elapsed.TotalSeconds:F0} s (≤ {options.E2eInFlight} unanswered; first window left out)",
            rates.Skip(skip).ToArray(), events.Skip(skip).ToList(), WindowFigure.Label(options.Window), v => Report.Rate(v, "/s"), "≥ 2,000 /s", m => m >= 2000);
        report.Add(new Row(Part, $"replies/s at max{variant}, mean over the whole phase", Report.Rate(mean, "/s")));
        report.Add(new Row(Part, $"webhook → reply p50 / p95 / p99 / max at max{variant}", $"{Report.Ms(lat.P50)} / {Report.Ms(lat.P95)} / {Report.Ms(lat.P99)} / {Report.Ms(lat.Max)}"));
        CpuProfile.Add(report, Part, cpuBefore, cpuAfter, elapsed, answeredInWindow, "reply", variant);
        if (variant.Length > 0) return; // the rows below describe the plain agent's run
        if (answeredInWindow > 0) HostCpuPerReply = HostCpu(cpuBefore, cpuAfter) / answeredInWindow;
        await profile.AddAsync(report, Part, phase.Answered, "");
        if (mean < options.E2eRate)
            report.Note($"e2e: the sustained maximum ({mean:N0} replies/s) is below the fixed rate ({options.E2eRate:N0}/s), so that phase's latencies are mostly queueing.");
        var lines = stack.Roles.Select(r => $"{r.Name} {(double)(r.OutputLines - linesBefore.GetValueOrDefault(r.Name)) / Math.Max(1, answeredInWindow):F2}");
        report.Add(new Row(Part, "log lines written per reply at max", string.Join(", ", lines)));
    }

    /// <summary>CPU seconds the Host roles (api, worker, scheduler) used between two readings.</summary>
    private double HostCpu(Dictionary<string, double> before, Dictionary<string, double> after) =>
        stack.Roles.Sum(r => after.GetValueOrDefault(r.Name) - before.GetValueOrDefault(r.Name));
}
