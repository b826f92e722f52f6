using MicAi.Core.Queue;
using MicAi.Core.Scheduling;

namespace MicAi.Host;

/// <summary>
/// The scheduler role's loop: every interval, hold (or try to take) the leader lease and, while holding it, run a
/// tick. A standby keeps beating and trying, so it takes over within two lease periods of the leader's death; on a
/// clean stop the lease is released at once.
/// </summary>
public sealed class SchedulerService(
    SchedulerTick tick, LeaderLease lease, Heartbeats beats, TimeProvider time, ILogger<SchedulerService> log) : BackgroundService
{
    private const string Role = "scheduler";

    /// <summary>The tick interval, shorter than any sane lease so the holder renews several times per period.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var leading = false;
        var interval = lease.Period / 3 < Interval ? lease.Period / 3 : Interval;
        for (var failures = 0; !stop.IsCancellationRequested;)
        {
            try
            {
                await beats.BeatAsync(Role, lease.Holder);
                var holds = await lease.TryHoldAsync();
                if (holds != leading) HostLog.Leadership(log, lease.Holder, holds);
                leading = holds;
                if (holds) await tick.RunAsync(stop);
                failures = 0;
                await Task.Delay(interval, time, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                var delay = Backoff.Loop(++failures);
                HostLog.LoopFaulted(log, Role, ex, delay);
                try { await Task.Delay(delay, time, stop); } catch (OperationCanceledException) { break; }
            }
        }
        try
        {
            await Task.WhenAll(lease.ReleaseAsync(), beats.StoppedAsync(Role, lease.Holder)).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException) { } // the lease then expires on its own
    }
}
