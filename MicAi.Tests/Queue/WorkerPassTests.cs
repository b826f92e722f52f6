using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MicAi.Tests.Queue;

/// <summary>
/// Core's worker pass keeps house on its own cadence, whoever drives it: the Host's loops call it back to back and
/// Functions' timer once per tick, and neither decides when a heartbeat is due.
/// </summary>
public sealed class WorkerPassTests
{
    private static async Task<DateTimeOffset?> LastBeatAsync(CoreServices core, WorkerPass pass) =>
        (await core.Get<Heartbeats>().ReadAsync()).Processes.SingleOrDefault(p => p.Role == WorkerPass.Role && p.Name == pass.Consumer)?.LastSeen;

    [Fact]
    public async Task Pass_BeatsOnItsFirstRun_AndAgainOnlyOnceFiveSecondsHavePassed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var core = await CoreServices.StartAsync(time: time);
        var pass = core.Get<WorkerPass>();

        Assert.Equal(0, await pass.RunAsync(housekeeping: true, TimeSpan.Zero, CancellationToken.None));
        var first = await LastBeatAsync(core, pass);
        time.Advance(TimeSpan.FromSeconds(4));
        await pass.RunAsync(housekeeping: true, TimeSpan.Zero, CancellationToken.None);
        var notDue = await LastBeatAsync(core, pass);
        time.Advance(TimeSpan.FromSeconds(1));
        await pass.RunAsync(housekeeping: true, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(time.Start, first);
        Assert.Equal(first, notDue);
        Assert.Equal(time.Start.AddSeconds(5), await LastBeatAsync(core, pass));
    }

    [Fact]
    public async Task Pass_WithoutHousekeeping_LeavesNoHeartbeat_AndAStopRemovesOne()
    {
        await using var core = await CoreServices.StartAsync();
        var pass = core.Get<WorkerPass>();

        await pass.RunAsync(housekeeping: false, TimeSpan.Zero, CancellationToken.None);
        var without = await LastBeatAsync(core, pass);
        await pass.RunAsync(housekeeping: true, TimeSpan.Zero, CancellationToken.None);
        var with = await LastBeatAsync(core, pass);
        await pass.StoppedAsync();

        Assert.Null(without);
        Assert.NotNull(with);
        Assert.Null(await LastBeatAsync(core, pass));
    }

    /// <summary>Holds each job until <paramref name="together"/> run at once (or, so a failing pass ends, 10 s have passed).</summary>
    private sealed class GatedHandler(int together) : IJobHandler
    {
        private readonly TaskCompletionSource enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int running;
        public int MostAtOnce;
        public string Type => "gated";

        public async Task HandleAsync(Job job, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref running);
            for (var most = MostAtOnce; now > most; most = MostAtOnce)
                if (Interlocked.CompareExchange(ref MostAtOnce, now, most) == most) break;
            if (now >= together) enough.TrySetResult();
            try { await enough.Task.WaitAsync(TimeSpan.FromSeconds(10), ct); }
            catch (TimeoutException) { enough.TrySetResult(); }
            finally { Interlocked.Decrement(ref running); }
        }
    }

    [Fact]
    public async Task PassWithABudget_KeepsSeveralBatchesInFlight_AndDrainsTheStream()
    {
        var handler = new GatedHandler(together: 3);
        await using var core = await CoreServices.StartAsync(
            configure: s => s[WorkerSettings.Keys.Concurrency] = "2", services: s => s.AddSingleton<IJobHandler>(handler));
        var stream = core.Get<JobStream>();
        await stream.EnqueueAsync([.. Enumerable.Range(0, 20).Select(i => Job.New("gated", $"g{i}", DateTimeOffset.UtcNow))]);

        var handled = await core.Get<WorkerPass>().RunAsync(housekeeping: false, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(20, handled);
        Assert.InRange(handler.MostAtOnce, 3, WorkerPass.BatchesInFlight * 2); // more than one batch of two at a time
        Assert.Equal((0L, 0L), await stream.CountsAsync());
    }

    [Fact]
    public async Task PassWithoutABudget_RunsOneBatch()
    {
        await using var core = await CoreServices.StartAsync(configure: s => s[WorkerSettings.Keys.Concurrency] = "2");
        var stream = core.Get<JobStream>();
        await stream.EnqueueAsync([.. Enumerable.Range(0, 5).Select(i => Job.New("unknown-type", $"u{i}", DateTimeOffset.UtcNow))]);

        Assert.Equal(2, await core.Get<WorkerPass>().RunAsync(housekeeping: false, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task Runner_BuildsTheJobHandlersAtItsFirstJob_NotAtStart_AndOnce()
    {
        // The handlers bring the Graph client; an idle worker should not have built it.
        var built = 0;
        var handler = new GatedHandler(together: 1);
        await using var core = await CoreServices.StartAsync(services: s => s.AddSingleton<IJobHandler>(_ => { Interlocked.Increment(ref built); return handler; }));
        var runner = core.Get<JobRunner>();
        var stream = core.Get<JobStream>();
        Assert.Equal(0, await runner.RunOnceAsync("c1", CancellationToken.None));
        Assert.Equal(0, built);

        await stream.EnqueueAsync([Job.New("gated", "first", DateTimeOffset.UtcNow)]);
        Assert.Equal(1, await runner.RunOnceAsync("c1", CancellationToken.None));
        await stream.EnqueueAsync([Job.New("gated", "second", DateTimeOffset.UtcNow)]);
        Assert.Equal(1, await runner.RunOnceAsync("c1", CancellationToken.None));

        Assert.Equal(1, built);
        Assert.Equal((0L, 0L), await stream.CountsAsync());
    }
}
