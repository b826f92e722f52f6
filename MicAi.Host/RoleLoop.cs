using MicAi.Core.Hosting;

namespace MicAi.Host;

/// <summary>
/// Runs a role's step over and over until the host stops. A step that throws is tried again after a backoff that
/// grows with consecutive failures (never zero), so an outage of Postgres or Redis neither spins the CPU nor ends the
/// role; Core's <see cref="LoopFailures"/> decides the backoff and keeps the log to one line per try. What failed and
/// why is the step's own business (Core), and so is giving up a wait on an unreachable server when the host stops.
/// </summary>
internal static class RoleLoop
{
    public static async Task RunAsync(string role, Func<CancellationToken, Task> step, TimeProvider time, ILogger log, CancellationToken stop)
    {
        var failures = new LoopFailures(role, log);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await step(stop);
                failures.Succeeded();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                try { await Task.Delay(failures.Failed(ex), time, stop); } catch (OperationCanceledException) { break; }
            }
        }
    }

    /// <summary>
    /// A role's pass once the schema gate is open, resolved then on a pool thread rather than in the service's
    /// constructor: it brings the Redis connection, whose synchronous connect (up to connectTimeout × ConnectRetry,
    /// ~15 s against a Redis that accepts and stays silent) would otherwise run while the host builds its hosted
    /// services, before Kestrel listens, in the all role. A stop does not wait for that connect. Null when the gate
    /// shut or the host stopped first.
    /// </summary>
    public static async Task<T?> PassWhenOpenAsync<T>(SchemaGate schema, IServiceProvider services, CancellationToken stop) where T : class
    {
        try { return await schema.WaitAsync(stop) ? await Task.Run(services.GetRequiredService<T>, stop).WaitAsync(stop) : null; }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { return null; }
    }
}
