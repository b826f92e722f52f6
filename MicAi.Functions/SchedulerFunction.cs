using MicAi.Core.Scheduling;
using Microsoft.Azure.Functions.Worker;

namespace MicAi.Functions;

/// <summary>The scheduler on a timer: the same tick the Host's scheduler role runs in a loop.</summary>
public sealed class SchedulerFunction(SchedulerTick tick)
{
    [Function("Scheduler")]
    public Task Run([TimerTrigger("%" + SchedulerSettings.Keys.Schedule + "%")] TimerInfo timer, CancellationToken ct) => tick.RunAsync(ct);
}
