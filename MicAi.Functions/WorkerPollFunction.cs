using MicAi.Core.Queue;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MicAi.Functions;

/// <summary>
/// The queue worker on a timer: first takes back jobs a dead instance left pending (as the Host worker does on
/// start), then drains the job stream batch by batch until it is empty or the budget is spent. The budget is checked
/// between batches, so a send already in flight is never cut off.
/// </summary>
public sealed class WorkerPollFunction(
    JobRunner jobs, StaleJobs stale, TimeProvider time, IOptions<WorkerPollOptions> options, IConfiguration config, ILogger<WorkerPollFunction> log)
{
    // The instance id names the consumer, so each scaled-out instance owns its pending entries.
    private readonly string consumer = config["WEBSITE_INSTANCE_ID"] is { Length: > 0 } instance ? instance : Environment.MachineName;

    [Function("WorkerPoll")]
    public async Task Run([TimerTrigger("%MICAI_WORKER_POLL_SCHEDULE%")] TimerInfo timer, CancellationToken ct)
    {
        var until = time.GetUtcNow() + options.Value.Budget;
        await stale.ReclaimAsync(ct);
        var handled = 0;
        for (int batch; time.GetUtcNow() < until && (batch = await jobs.RunOnceAsync(consumer, ct)) > 0;)
            handled += batch;
        if (handled > 0) FunctionsLog.WorkerPollDrained(log, handled, consumer);
    }
}
