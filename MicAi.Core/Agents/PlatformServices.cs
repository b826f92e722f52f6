using MicAi.Core.Agents.Llm;
using MicAi.Core.Agents.Tools;
using MicAi.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Agents;

/// <summary>Registers the agent platform: agents, rules and contacts (their stores), opt-out, tools and the LLM.</summary>
public static class PlatformServices
{
    public static IServiceCollection AddMicAiPlatform(this IServiceCollection services, PlatformSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<AgentStore>().AddSingleton<RuleStore>().AddSingleton<ContactStore>();
        services.AddSingleton(new ScheduleDefaults(settings.DefaultTimeZone));

        services.AddSingleton<OptOutKeywords>();
        services.AddSingleton<IAgentTool, RemindTool>();
        services.AddHttpClient<WeatherClient>(WeatherClient.HttpClientName, http => http.Timeout = settings.WeatherTimeout + TimeSpan.FromSeconds(1));
        services.AddSingleton<IAgentTool, WeatherTool>();

        // The timeout is enforced per call (MICAI_LLM_TIMEOUT_SECONDS); the HttpClient's own is only a backstop.
        services.AddHttpClient(ChatClientFactory.HttpClientName, http => http.Timeout = settings.LlmTimeout + TimeSpan.FromSeconds(5));
        services.AddSingleton<LlmUsageStore>().AddSingleton<LlmResponder>();
        return services;
    }
}
