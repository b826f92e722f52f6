namespace MicAi.Bench;

/// <summary>
/// Starts the roles and measures them: time from process launch to "Application started" (every role) and to
/// /health and /ready (api, alone over several launches and again while the other roles start); RSS idle and the peak sampled while the
/// end-to-end load runs.
/// </summary>
public sealed class FootprintPart(BenchStack stack, Report report)
{
    private const string Part = "footprint";
    private readonly Dictionary<string, double> idle = [];
    private readonly Dictionary<string, string> idleBreakdown = [];
    private readonly Dictionary<string, double> peak = [];
    private readonly List<Row> startRows = [];

    public async Task StartRolesAsync()
    {
        var migrate = await stack.MigrateAsync();
        startRows.Add(new Row(Part, "migrate role on a fresh database (launch → exit)", Report.Ms(migrate.TotalMilliseconds)));

        // The api alone first, as a platform brings up a web service (and as the target's reference point, a bare
        // Kestrel start, was measured), launched several times so one slow launch (a neighbour, a cold page cache)
        // does not decide the figure: the median is the result, its spread is shown; the last launch stays up.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var launches = new List<ApiLaunch>();
        for (var i = 1; i <= stack.Options.ApiLaunches; i++)
        {
            var api = stack.Start("api");
            var health = await api.WaitForOkAsync(http, "health", TimeSpan.FromSeconds(30));
            var healthCpu = api.CpuSeconds(); // on a shared machine CPU time is steadier than wall time
            var ready = await api.WaitForOkAsync(http, "ready", TimeSpan.FromSeconds(30));
            var started = await api.WaitStartedAsync(TimeSpan.FromSeconds(30));
            launches.Add(new ApiLaunch(health, healthCpu, ready, started, api.Built, api.Migrated));
            if (i < stack.Options.ApiLaunches) await stack.StopAsync(api);
        }
        Spread Over(Func<ApiLaunch, double> ms) => Spread.Of(launches.Select(ms).ToArray());
        var healthMs = Over(l => l.Health.TotalMilliseconds);
        startRows.Add(new Row(Part, "api: launch → first /health 200", Launches(healthMs), "≤ 500 ms", healthMs.Median <= 500));
        startRows.Add(new Row(Part, "api: CPU time used from launch to first /health 200", Launches(Over(l => l.HealthCpuSeconds * 1000))));
        startRows.Add(new Row(Part, "api: launch → first /ready 200", Launches(Over(l => l.Ready.TotalMilliseconds))));
        startRows.Add(new Row(Part, "api: launch → \"Application started\"", Launches(Over(l => l.Started.TotalMilliseconds))));
        if (launches.All(l => l is { Built: not null, Migrated: not null }))
            startRows.Add(new Row(Part, "api: launch → host built / → start-up migration check done (medians)",
                $"{Report.Ms(Over(l => l.Built!.Value.TotalMilliseconds).Median)} / {Report.Ms(Over(l => l.Migrated!.Value.TotalMilliseconds).Median)}"));

        var others = new List<RoleProcess> { stack.Start("scheduler") };
        for (var i = 1; i <= stack.Options.Workers; i++) others.Add(stack.Start("worker", stack.Options.Workers == 1 ? "worker" : $"worker{i}"));
        var crowded = stack.Start("api", "api2");
        var crowdedHealth = await crowded.WaitForOkAsync(http, "health", TimeSpan.FromSeconds(30));
        startRows.Add(new Row(Part, $"api: launch → first /health 200, started with scheduler and {stack.Options.Workers} worker(s)", Report.Ms(crowdedHealth.TotalMilliseconds)));
        await stack.StopAsync(crowded);
        foreach (var role in others)
        {
            var started = await role.WaitStartedAsync(TimeSpan.FromSeconds(30));
            startRows.Add(new Row(Part, $"{role.Name}: launch → \"Application started\"", Report.Ms(started.TotalMilliseconds)));
            if (role.Built is { } built && role.Migrated is { } migrated)
                startRows.Add(new Row(Part, $"{role.Name}: launch → host built / → start-up migration check done",
                    $"{Report.Ms(built.TotalMilliseconds)} / {Report.Ms(migrated.TotalMilliseconds)}"));
        }
    }

    private static string Launches(Spread spread) =>
        spread.Count == 1 ? Report.Ms(spread.Median) : spread.Format(Report.Ms, "launches");

    private sealed record ApiLaunch(TimeSpan Health, double HealthCpuSeconds, TimeSpan Ready, TimeSpan Started, TimeSpan? Built, TimeSpan? Migrated);

    public async Task SampleIdleAsync(TimeSpan settle)
    {
        await Task.Delay(settle);
        stack.ThrowIfAnyExited();
        foreach (var role in stack.Roles)
        {
            idle[role.Name] = role.RssMb();
            idleBreakdown[role.Name] = ProcStat.RssBreakdown(role.Pid, Path.GetFullPath(stack.Options.HostDir));
        }
    }

    /// <summary>Samples every role's RSS every 100 ms until disposed, keeping the peak.</summary>
    public IAsyncDisposable SampleUnderLoad()
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var role in stack.Roles.ToArray())
                {
                    var rss = role.RssMb();
                    if (!double.IsNaN(rss)) peak[role.Name] = Math.Max(peak.GetValueOrDefault(role.Name), rss);
                }
                try { await Task.Delay(100, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        return new Sampling(stop, loop);
    }

    public void AddRows()
    {
        foreach (var row in startRows) report.Add(row);
        foreach (var (role, mb) in idle) report.Add(new Row(Part, $"{role}: RSS idle", Report.Mb(mb), "≤ 80 MB", mb <= 80));
        foreach (var (role, where) in idleBreakdown) report.Add(new Row(Part, $"{role}: RSS idle by kind", where));
        foreach (var (role, mb) in peak) report.Add(new Row(Part, $"{role}: RSS peak under e2e load", Report.Mb(mb), "< 200 MB", mb < 200));
    }

    private sealed class Sampling(CancellationTokenSource stop, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }
}
