using MicAi.Core.Agents.Llm;
using MicAi.Core.Agents.Tools;
using MicAi.Core.Queue;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Agents;

public static class AgentServices
{
    /// <summary>
    /// Answering inbound jobs (gates, opt-out, rules, the allow-listed tools, the optional LLM) and the stores of the
    /// agents, rules and contacts the admin API manages.
    /// </summary>
    public static IServiceCollection AddAgents(this IServiceCollection services, AgentSettings agents, WeatherSettings weather, LlmSettings llm)
    {
        services.AddSingleton(agents).AddSingleton(weather).AddSingleton(llm);
        services.AddSingleton<AgentStore>().AddSingleton<RuleStore>().AddSingleton<AgentRuleCache>().AddSingleton<ContactStore>();
        services.AddSingleton<ConversationStore>().AddSingleton<InvokePrefixGate>().AddSingleton<OptOutKeywords>().AddSingleton<HandoverKeywords>().AddSingleton<Responder>();
        services.AddSingleton<IJobHandler, InboundJobHandler>();

        services.AddSingleton<IAgentTool, RemindTool>();
        services.AddHttpClient<WeatherClient>(WeatherClient.HttpClientName, http => http.Timeout = weather.Timeout + TimeSpan.FromSeconds(1));
        services.AddSingleton<IAgentTool, WeatherTool>();

        // The timeout is enforced per call (MICAI_LLM_TIMEOUT_SECONDS); the HttpClient's own is only a backstop.
        services.AddHttpClient(ChatClientFactory.HttpClientName, http => http.Timeout = llm.Timeout + TimeSpan.FromSeconds(5));
        services.AddSingleton<LlmUsageStore>().AddSingleton<LlmResponder>();
        return services;
    }
}
