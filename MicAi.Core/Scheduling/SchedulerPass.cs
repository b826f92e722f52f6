using MicAi.Core.Queue;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Scheduling;

/// <summary>
/// One pass of a scheduler process that shares the work with standbys (the Host's scheduler role loops it every
/// <see cref="Interval"/>): beat, hold or take the leader lease, and tick only while holding it. A standby keeps
/// beating and trying, so it takes over within two lease periods of the leader's death; <see cref="StoppedAsync"/>
/// releases the lease at once on a clean stop. Functions' timer needs no lease (the host runs a timer function on
/// one instance at a time) and runs <see cref="SchedulerTick"/> itself.
/// </summary>
public sealed class SchedulerPass(SchedulerTick tick, LeaderLease lease, Heartbeats beats, ILogger<SchedulerPass> log)
{
    public const string Role = "scheduler";
    private static readonly TimeSpan TickEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);
    private bool leading;

    /// <summary>The pause between passes: shorter than any sane lease, so the holder renews several times per period.</summary>
    public TimeSpan Interval => lease.Period / 3 < TickEvery ? lease.Period / 3 : TickEvery;

    /// <param name="ct">
    /// The process stops: its waits on Redis and Postgres end at once (StackExchange.Redis takes no token, and an
    /// unreachable server would hold the stop for its timeout). A tick given up midway is safe: each of its steps is
    /// idempotent and its Postgres work is one transaction per step.
    /// </param>
    public async Task RunAsync(CancellationToken ct)
    {
        await beats.BeatAsync(Role, lease.Holder).WaitAsync(ct);
        var holds = await lease.TryHoldAsync().WaitAsync(ct);
        if (holds != leading) SchedulingLog.Leadership(log, lease.Holder, holds);
        leading = holds;
        if (holds) await tick.RunAsync(ct).WaitAsync(ct);
    }

    /// <summary>Releases the lease and the heartbeat; if Redis is gone, the lease expires on its own.</summary>
    public async Task StoppedAsync()
    {
        if (!beats.Reachable) return; // Redis is down: nothing to release that will not expire by itself
        try { await Task.WhenAll(lease.ReleaseAsync(), beats.StoppedAsync(Role, lease.Holder)).WaitAsync(StopTimeout); }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException) { }
    }
}
