using MicAi.Core.Queue;

namespace MicAi.Host;

/// <summary>
/// Runs a role's step over and over until the host stops. A step that throws is logged and tried again after a
/// backoff that grows with consecutive failures (never zero), so an outage of Postgres or Redis neither spins the CPU
/// nor ends the role; what failed and why is the step's own business (Core).
/// </summary>
internal static class RoleLoop
{
    public static async Task RunAsync(string role, Func<CancellationToken, Task> step, TimeProvider time, ILogger log, CancellationToken stop)
    {
        for (var failures = 0; !stop.IsCancellationRequested;)
        {
            try
            {
                await step(stop);
                failures = 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                var delay = Backoff.Loop(++failures);
                HostLog.LoopFaulted(log, role, ex, delay);
                try { await Task.Delay(delay, time, stop); } catch (OperationCanceledException) { break; }
            }
        }
    }
}
