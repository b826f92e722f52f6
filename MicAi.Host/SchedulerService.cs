using MicAi.Core.Scheduling;

namespace MicAi.Host;

/// <summary>The scheduler role: Core's <see cref="SchedulerPass"/> every interval; the lease is released on a clean stop.</summary>
public sealed class SchedulerService(SchedulerPass pass, SchemaGate schema, TimeProvider time, ILogger<SchedulerService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!await schema.WaitAsync(stop)) return;
        await RoleLoop.RunAsync(SchedulerPass.Role, async ct =>
        {
            await pass.RunAsync(ct);
            await Task.Delay(pass.Interval, time, ct);
        }, time, log, stop);
        await pass.StoppedAsync();
    }
}
