using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Scheduling;

public static class SchedulingServices
{
    /// <summary>Recurring messages and the pipeline's upkeep: the tick, the sweeper, the leader lease.</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, SchedulerSettings settings) =>
        services.AddSingleton(settings).AddSingleton<ScheduleStore>().AddSingleton<PipelineSweeper>().AddSingleton<LeaderLease>()
                .AddSingleton<SchedulerTick>().AddSingleton<SchedulerPass>();
}
