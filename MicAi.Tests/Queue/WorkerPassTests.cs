using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
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
}
