using MicAi.Core.Queue;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Hosting;

/// <summary>
/// One background loop's run of consecutive failures (Postgres or Redis unreachable, mostly): how long to back off
/// before the next try, and a bounded log. The first failure of an outage is logged with its stack trace; every
/// later step is one line with the exception's message, how many tries failed and when the next one is; the first
/// success after an outage says so. So an outage of an hour costs a few hundred lines, not a stack trace a second.
/// </summary>
public sealed class LoopFailures(string loop, ILogger log)
{
    private int failures;

    /// <summary>Consecutive failures so far (0 while the loop runs well).</summary>
    public int Count => failures;

    /// <summary>Records a failure, logs it and returns the backoff before the next try (never zero).</summary>
    public TimeSpan Failed(Exception ex)
    {
        var delay = Backoff.Loop(++failures);
        if (failures == 1) HostingLog.LoopFaulted(log, loop, delay, ex);
        else HostingLog.LoopStillFailing(log, loop, failures, ex.GetType().Name, ex.Message, delay);
        return delay;
    }

    /// <summary>A step succeeded: ends the outage (logged when there was one).</summary>
    public void Succeeded()
    {
        if (failures == 0) return;
        HostingLog.LoopRecovered(log, loop, failures);
        failures = 0;
    }
}
