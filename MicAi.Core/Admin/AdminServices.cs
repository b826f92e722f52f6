using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Admin;

public static class AdminServices
{
    /// <summary>The admin API: access control, a store and handlers per resource, the OpenAPI document.</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services, AdminSettings settings)
    {
        services.AddSingleton(settings).AddSingleton<AdminAccess>().AddSingleton<AdminOpenApi>();
        services.AddSingleton<AdminStore>().AddSingleton<AdminHandlers>().AddSingleton<AdminEndpoints>();
        services.AddSingleton<AgentStore>().AddSingleton<RuleStore>().AddSingleton<ContactStore>().AddSingleton<ScheduleAdminStore>();
        services.AddSingleton<AgentHandlers>().AddSingleton<RuleHandlers>().AddSingleton<ContactHandlers>()
                .AddSingleton<ScheduleHandlers>().AddSingleton<OutboundHandlers>().AddSingleton<DeadJobHandlers>();
        return services;
    }
}
