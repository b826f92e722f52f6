using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace MicAi.Core.Queue;

public static class QueueServices
{
    /// <summary>Redis and the job stream: enqueue, run, retry, dead letters, reclaim, heartbeats, the worker pass.</summary>
    public static IServiceCollection AddQueue(this IServiceCollection services, QueueSettings queue, WorkerSettings worker)
    {
        services.AddSingleton(queue).AddSingleton(worker);
        // One multiplexed connection per process, created lazily so configuration errors surface before it connects.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(queue.RedisOptions));
        services.AddSingleton(new RedisKeys(queue.KeyPrefix));
        services.AddSingleton<JobStream>().AddSingleton<DelayedJobs>().AddSingleton<DeadJobStore>().AddSingleton<WorkSignal>()
                .AddSingleton<JobRunner>().AddSingleton<StaleJobs>().AddSingleton<LegacyQueueMigration>().AddSingleton<Heartbeats>()
                .AddSingleton<WorkerPass>();
        // The job handlers, built when JobRunner meets its first job (JobRunner says why).
        services.AddSingleton<Func<IEnumerable<IJobHandler>>>(sp => sp.GetServices<IJobHandler>);
        services.AddSingleton(sp => new QueueGauges(sp.GetRequiredService<IMeterFactory>(),
            () => new QueueGauges.Sources(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<DeadJobStore>(), sp.GetRequiredService<Heartbeats>()),
            sp.GetRequiredService<RedisKeys>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// The gauges, read only where a meter provider exists (GET /metrics, or OTLP): they are created with it. Called by
    /// the composition root only then, and never inlined into it, so that a role without a provider does not load
    /// OpenTelemetry's assemblies.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IServiceCollection AddQueueGauges(this IServiceCollection services) =>
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddInstrumentation(sp => sp.GetRequiredService<QueueGauges>()));
}
