using MicAi.Core.Queue;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace MicAi.Functions;

/// <summary>The queue worker on a timer: one of Core's worker passes per tick, within MICAI_WORKER_POLL_BUDGET_SECONDS.</summary>
public sealed class WorkerPollFunction(WorkerPass pass, WorkerSettings settings, ILogger<WorkerPollFunction> log)
{
    [Function("WorkerPoll")]
    public async Task Run([TimerTrigger("%" + WorkerSettings.Keys.PollSchedule + "%")] TimerInfo timer, CancellationToken ct)
    {
        var handled = await pass.RunAsync(housekeeping: true, settings.PassBudget, ct);
        if (handled > 0) FunctionsLog.WorkerPollDrained(log, handled, pass.Consumer);
    }
}
