using MicAi.Core.Hosting;
using MicAi.Core.Queue;

namespace MicAi.Host;

/// <summary>
/// The worker role: Core's <see cref="WorkerPass"/> in <see cref="WorkerPass.BatchesInFlight"/> loops side by side, so
/// one slow job (a Graph call, an LLM answer) holds back only its own batch; the first loop also keeps house. An idle loop sleeps until woken.
/// On SIGTERM it stops fetching at once; the batch in flight may run until shortly before the host's shutdown
/// timeout, then it is cancelled and left pending for reclaim.
/// The pass is resolved once the schema gate opens, not in the constructor (<see cref="RoleLoop.PassWhenOpenAsync"/>).
/// </summary>
public sealed class WorkerService(IServiceProvider services, SchemaGate schema, HostingSettings hosting, TimeProvider time, ILogger<WorkerService> log) : BackgroundService
{
    /// <summary>Left of the shutdown timeout for acking and disposing once in-flight jobs are cancelled.</summary>
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (await RoleLoop.PassWhenOpenAsync<WorkerPass>(schema, services, stop) is not { } pass) return;
        await Task.WhenAll(Enumerable.Range(0, WorkerPass.BatchesInFlight).Select(i => Task.Run(() =>
            RoleLoop.RunAsync(WorkerPass.Role, ct => StepAsync(pass, housekeeping: i == 0, ct), time, log, stop))));
        await pass.StoppedAsync();
    }

    /// <summary>One batch (a zero budget), then an idle pause when there was nothing to do.</summary>
    private async Task StepAsync(WorkerPass pass, bool housekeeping, CancellationToken stop)
    {
        if (await pass.RunAsync(housekeeping, TimeSpan.Zero, inFlight.Token, stop) == 0) await pass.IdleAsync(stop);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var grace = hosting.ShutdownTimeout - ShutdownMargin;
        inFlight.CancelAfter(grace > TimeSpan.Zero ? grace : TimeSpan.Zero);
        HostLog.Draining(log, grace);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        inFlight.Dispose();
        base.Dispose();
    }
}
