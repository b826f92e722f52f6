using MicAi.Core.Admin;
using MicAi.Core.Agents.Llm;
using MicAi.Core.Agents.Tools;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Agents;

/// <summary>Registers the agent platform: admin resources and access control, opt-out, tools and the LLM.</summary>
public static class PlatformServices
{
    public static IServiceCollection AddMicAiPlatform(this IServiceCollection services, PlatformSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<AdminAccess>().AddSingleton<AdminOpenApi>();
        services.AddSingleton<AgentStore>().AddSingleton<RuleStore>().AddSingleton<ContactStore>().AddSingleton<ScheduleAdminStore>();
        services.AddSingleton<AgentHandlers>().AddSingleton<RuleHandlers>().AddSingleton<ContactHandlers>()
                .AddSingleton<ScheduleHandlers>().AddSingleton<OutboundHandlers>();

        services.AddSingleton<OptOutKeywords>();
        services.AddSingleton<ReminderStore>().AddSingleton<IAgentTool, RemindTool>();
        services.AddHttpClient<WeatherClient>(WeatherClient.HttpClientName, http => http.Timeout = settings.WeatherTimeout + TimeSpan.FromSeconds(1));
        services.AddSingleton<IAgentTool, WeatherTool>();

        // The timeout is enforced per call (MICAI_LLM_TIMEOUT_SECONDS); the HttpClient's own is only a backstop.
        services.AddHttpClient(ChatClientFactory.HttpClientName, http => http.Timeout = settings.LlmTimeout + TimeSpan.FromSeconds(5));
        services.AddSingleton<LlmUsageStore>().AddSingleton<LlmResponder>();
        return services;
    }
}
