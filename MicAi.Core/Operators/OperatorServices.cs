using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Operators;

public static class OperatorServices
{
    /// <summary>Human in the loop: the timeline, operator sends and the attention list (handover state is the Inbox's).</summary>
    public static IServiceCollection AddOperators(this IServiceCollection services) =>
        services.AddSingleton<TimelineStore>().AddSingleton<OperatorSends>().AddSingleton<AttentionList>();
}
