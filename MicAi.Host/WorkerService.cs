using MicAi.Core.Queue;

namespace MicAi.Host;

/// <summary>The worker role's loop: run a batch, and when idle sleep until woken or the poll delay passes.</summary>
public sealed class WorkerService(JobRunner jobs, WorkSignal signal, ILogger<WorkerService> log) : BackgroundService
{
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(250);
    private readonly string consumer = $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        for (var failures = 0; !stop.IsCancellationRequested;)
        {
            try
            {
                if (await jobs.RunOnceAsync(consumer, stop) == 0) await signal.WaitAsync(IdleDelay, stop);
                failures = 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                var delay = Backoff.Loop(++failures);
                HostLog.LoopFaulted(log, "worker", ex, delay);
                try { await Task.Delay(delay, stop); } catch (OperationCanceledException) { break; }
            }
        }
    }
}
