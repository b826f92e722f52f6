using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MicAi.Bench;

/// <summary>
/// Takes a <see cref="WindowSample"/> at the start of a measured phase and at every window boundary after it, so each
/// window's figure can be set beside what happened in it. A phase buckets its own completions from <see cref="Start"/>.
/// </summary>
public sealed class WindowSampler
{
    private readonly List<WindowSample> samples = [];
    private readonly BenchProcesses processes;
    private readonly NpgsqlDataSource? db;
    private readonly Func<IEnumerable<(string Name, int Pid)>> roles;
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;

    private WindowSampler(BenchProcesses processes, NpgsqlDataSource? db, Func<IEnumerable<(string, int)>> roles, TimeSpan width)
    {
        this.processes = processes;
        this.db = db;
        this.roles = roles;
        Width = width;
    }

    public TimeSpan Width { get; }

    /// <summary>Stopwatch timestamp of the first sample: window i is [Start + i·Width, Start + (i+1)·Width).</summary>
    public long Start { get; private set; }

    /// <param name="db">The database whose autovacuum is watched (checkpoints are the cluster's); null: no Postgres figures.</param>
    public static async Task<WindowSampler> StartAsync(BenchProcesses processes, NpgsqlDataSource? db,
        Func<IEnumerable<(string Name, int Pid)>> roles, TimeSpan width)
    {
        var sampler = new WindowSampler(processes, db, roles, width);
        var first = await sampler.TakeAsync();
        sampler.Start = first.At;
        sampler.samples.Add(first);
        sampler.loop = Task.Run(sampler.RunAsync);
        return sampler;
    }

    private Task<WindowSample> TakeAsync() => WindowSample.TakeAsync(processes, db, roles());

    private async Task RunAsync()
    {
        var ticks = (long)(Width.TotalSeconds * Stopwatch.Frequency);
        for (var k = 1; !stop.IsCancellationRequested; k++)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Start + k * ticks);
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, stop.Token); }
                catch (OperationCanceledException) { return; }
            }
            var sample = await TakeAsync();
            lock (samples) samples.Add(sample);
        }
    }

    /// <summary>Stops sampling; the events of each whole window up to <paramref name="end"/> (Stopwatch timestamp).</summary>
    public async Task<IReadOnlyList<WindowEvents>> StopAsync(long end)
    {
        var whole = (int)((end - Start) / (long)(Width.TotalSeconds * Stopwatch.Frequency));
        // The boundary sample of the last whole window may still be due (or under way): wait for it, briefly.
        for (var i = 0; i < 50 && Count() <= whole; i++) await Task.Delay(20);
        await stop.CancelAsync();
        await loop;
        lock (samples)
            return Enumerable.Range(0, Math.Min(whole, samples.Count - 1)).Select(i => WindowSample.Between(samples[i], samples[i + 1])).ToList();
    }

    private int Count()
    {
        lock (samples) return samples.Count;
    }
}

/// <summary>A figure measured per window, added to the report as its median with the spread, and its slow windows named.</summary>
public static class WindowFigure
{
    /// <summary>"windows of 1 s", "windows of 0.5 s".</summary>
    public static string Label(TimeSpan width) => $"windows of {width.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s";

    /// <param name="lowerIsBetter">For latencies: a slow window is one above the median ÷ <see cref="Spread.SlowShare"/>.</param>
    public static Spread Add(Report report, string part, string figure, IReadOnlyList<double> values, IReadOnlyList<WindowEvents> events,
        string label, Func<double, string> format, string target = "", Func<double, bool>? met = null, bool lowerIsBetter = false)
    {
        var spread = Spread.Of(values);
        report.Add(new Row(part, figure, spread.Format(format, label), target, met is null || spread.Count == 0 ? null : met(spread.Median)));
        report.Measured(events);
        var slow = Enumerable.Range(0, values.Count)
            .Where(i => lowerIsBetter ? values[i] > spread.Median / Spread.SlowShare : values[i] < Spread.SlowShare * spread.Median)
            .OrderBy(i => lowerIsBetter ? -values[i] : values[i]).ToList();
        if (slow.Count == 0) return spread;
        var named = slow.Take(3).Select(i =>
            $"#{i + 1} {format(values[i])}: {(i < events.Count ? events[i].Describe() : "not sampled")}");
        report.Note($"{part} {figure}: {slow.Count} of {values.Count} ({label}) {(lowerIsBetter ? "above 1.25 ×" : "below 0.8 ×")} the median; " +
                    string.Join(" · ", named));
        return spread;
    }
}
