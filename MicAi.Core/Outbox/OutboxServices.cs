using MicAi.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Outbox;

public static class OutboxServices
{
    /// <summary>The ledger and the send step: kill switch, window, pacing, the Cloud API client, send jobs.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services, OutboundSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<OutboundLedger>().AddSingleton<RuntimeFlagStore>().AddSingleton<OutboundSwitch>().AddSingleton<WindowGate>()
                .AddSingleton<OutboundPacer>().AddSingleton<OutboundSender>().AddSingleton<ReadReceipts>();
        services.AddSingleton<IJobHandler, SendJobHandler>();
        // The per-attempt timeout lives in the resilience pipeline; this only bounds the whole call.
        services.AddHttpClient<CloudApiClient>(CloudApiClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30))
                .AddGraphResilience()
                // The factory's request logging writes only at Information/Trace (start and end of every call, filtered
                // out in production) yet costs a log scope and a redacted URI string per call; failures are logged by
                // the sender itself.
                .RemoveAllLoggers();
        // Polly logs every successful Graph call at Information (two lines per reply); retries and failures are Warning.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("Polly", LogLevel.Warning));
        return services;
    }
}
