using MicAi.Core.Queue;
using MicAi.Core.Scheduling;

namespace MicAi.Host;

/// <summary>The scheduler role's loop: one tick every few seconds.</summary>
public sealed class SchedulerService(SchedulerTick tick, TimeProvider time, ILogger<SchedulerService> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        for (var failures = 0; !stop.IsCancellationRequested;)
        {
            try
            {
                await tick.RunAsync(stop);
                failures = 0;
                await Task.Delay(Interval, time, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                var delay = Backoff.Loop(++failures);
                HostLog.LoopFaulted(log, "scheduler", ex, delay);
                try { await Task.Delay(delay, time, stop); } catch (OperationCanceledException) { break; }
            }
        }
    }
}
