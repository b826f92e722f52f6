using MicAi.Core.Scheduling;

namespace MicAi.Host;

/// <summary>
/// The scheduler role: Core's <see cref="SchedulerPass"/> every interval; the lease is released on a clean stop. The
/// pass is resolved once the schema gate opens, not in the constructor (<see cref="RoleLoop.PassWhenOpenAsync"/>).
/// </summary>
public sealed class SchedulerService(IServiceProvider services, SchemaGate schema, TimeProvider time, ILogger<SchedulerService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (await RoleLoop.PassWhenOpenAsync<SchedulerPass>(schema, services, stop) is not { } pass) return;
        await RoleLoop.RunAsync(SchedulerPass.Role, async ct =>
        {
            await pass.RunAsync(ct);
            await Task.Delay(pass.Interval, time, ct);
        }, time, log, stop);
        await pass.StoppedAsync();
    }
}
