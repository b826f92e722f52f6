using MicAi.Core.Admin;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;
using MicAi.Core.Http;
using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Core.Simulator;
using MicAi.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MicAi.Core;

/// <summary>The one composition root shared by MicAi.Host and MicAi.Functions.</summary>
public static class MicAiCoreExtensions
{
    /// <summary>Registers everything MicAi needs. Throws <see cref="InvalidSettingsException"/> listing every problem.</summary>
    public static IHostApplicationBuilder AddMicAiCore(this IHostApplicationBuilder builder, SecretSource? secrets = null)
    {
        var (settings, platform) = LoadSettings(key => builder.Configuration[key], secrets ?? SecretSource.Default);
        var services = builder.Services;
        services.AddSingleton(settings).AddSingleton(settings.WhatsApp);
        services.AddSingleton(TimeProvider.System);

        // One pool each (plus the direct one for sessions), created lazily so configuration errors surface before any connection attempt.
        services.AddMicAiDatabases(settings);
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(settings.RedisOptions));
        services.AddSingleton(new RedisKeys(settings));

        services.AddSingleton<Migrator>();
        services.AddSingleton<InboundStore>().AddSingleton<StatusApplier>().AddSingleton<IngestWebhook>();
        services.AddSingleton<JobStream>().AddSingleton<DelayedJobs>().AddSingleton<DeadJobStore>()
                .AddSingleton<WorkSignal>().AddSingleton<JobRunner>();
        services.AddSingleton<StaleJobs>().AddSingleton<LegacyQueueMigration>().AddSingleton<Heartbeats>().AddSingleton<LeaderLease>().AddSingleton<PipelineSweeper>()
                .AddSingleton<DeadJobHandlers>();
        services.AddSingleton<ConversationStore>().AddSingleton<InvokePrefixGate>().AddSingleton<Responder>();
        services.AddSingleton(settings.Outbound);
        services.AddSingleton<OutboundLedger>().AddSingleton<RuntimeFlagStore>().AddSingleton<OutboundSwitch>()
                .AddSingleton<WindowGate>().AddSingleton<OutboundPacer>().AddSingleton<OutboundSender>().AddSingleton<ReadReceipts>();
        services.AddSingleton<IJobHandler, InboundJobHandler>().AddSingleton<IJobHandler, SendJobHandler>();
        services.AddSingleton<ScheduleStore>().AddSingleton<SchedulerTick>();
        services.AddSingleton<WebhookEndpoints>().AddSingleton<HealthEndpoints>();
        services.AddSingleton<AdminStore>().AddSingleton<AdminHandlers>().AddSingleton<AdminEndpoints>();
        services.AddMicAiPlatform(platform);
        builder.AddSimulator(secrets ?? SecretSource.Default);

        // The per-attempt timeout lives in the resilience pipeline; this only bounds the whole call.
        services.AddHttpClient<CloudApiClient>(CloudApiClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30))
                .AddGraphResilience();
        // Polly logs every successful Graph call at Information (two lines per reply); retries and failures are Warning.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Both settings records, loaded before anything is registered (so a caller may retry AddMicAiCore), with the
    /// problems of both in one exception: an operator sees every unresolved or missing value at once.
    /// </summary>
    public static (MicAiSettings Settings, PlatformSettings Platform) LoadSettings(Func<string, string?> variable, SecretSource secrets)
    {
        MicAiSettings? settings = null;
        InvalidSettingsException? core = null;
        try { settings = MicAiSettings.Load(variable, secrets); }
        catch (InvalidSettingsException ex) { core = ex; }
        var environment = settings?.Environment ?? core!.Environment;
        try
        {
            var platform = PlatformSettings.Load(variable, secrets, environment);
            return core is null ? (settings!, platform) : throw core;
        }
        catch (InvalidSettingsException ex) when (ex != core)
        {
            throw new InvalidSettingsException(environment, [.. core?.Problems ?? [], .. ex.Problems], [.. core?.Unresolved ?? [], .. ex.Unresolved]);
        }
    }

    /// <summary>The settings AddMicAiCore loaded, for the adapters' own wiring (port, limits) before the app is built.</summary>
    public static MicAiSettings GetMicAiSettings(this IServiceCollection services) =>
        (MicAiSettings)services.First(d => d.ServiceType == typeof(MicAiSettings)).ImplementationInstance!;
}
