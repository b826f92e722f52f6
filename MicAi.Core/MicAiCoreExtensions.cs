using MicAi.Core.Admin;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;
using MicAi.Core.Console;
using MicAi.Core.Hosting;
using MicAi.Core.Http;
using MicAi.Core.Inbox;
using MicAi.Core.Media;
using MicAi.Core.Operators;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Core.Simulator;
using MicAi.Core.Storage;
using MicAi.Core.Telemetry;
using MicAi.Core.WhatsApp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MicAi.Core;

/// <summary>The one composition root shared by MicAi.Host and MicAi.Functions: one line per capability.</summary>
public static class MicAiCoreExtensions
{
    /// <summary>Loads every setting and registers everything. Throws <see cref="InvalidSettingsException"/> listing every problem.</summary>
    public static IHostApplicationBuilder AddMicAiCore(this IHostApplicationBuilder builder, SecretSource? secrets = null) =>
        builder.AddMicAiCore(MicAiSettings.Load(builder.Configuration, secrets));

    /// <summary>Registers everything over settings already loaded (by the adapter's <see cref="SettingsGate"/>).</summary>
    /// <param name="role">The process's service name for telemetry, and whether it serves <c>GET /metrics</c>.</param>
    public static IHostApplicationBuilder AddMicAiCore(this IHostApplicationBuilder builder, MicAiSettings settings, TelemetryRole? role = null)
    {
        role ??= TelemetryRole.Default;
        builder.Services.AddSingleton(TimeProvider.System)
            .AddConfiguration(settings.App)
            .AddTelemetry(settings.Telemetry, role)
            .AddHosting(settings.Hosting)
            .AddStorage(settings.Storage)
            .AddQueue(settings.Queue, settings.Worker)
            .AddWhatsApp(settings.WhatsApp)
            .AddInbox(settings.Inbox)
            .AddOutbox(settings.Outbound)
            .AddMedia(settings.Media, settings.Transcription)
            .AddAgents(settings.Agents, settings.Weather, settings.Llm)
            .AddScheduling(settings.Scheduler)
            .AddOperators()
            .AddAdmin(settings.Admin, servesHttp: builder is not HostApplicationBuilder) // a plain generic host: worker, scheduler
            .AddConsole()
            .AddHttpEndpoints()
            .AddSimulator(settings.Simulator);
        if (role.HasMeterProvider(settings.Telemetry)) builder.Services.AddQueueGauges();
        return builder;
    }
}
