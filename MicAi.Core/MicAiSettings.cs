using MicAi.Core.Admin;
using MicAi.Core.Agents;
using MicAi.Core.Agents.Llm;
using MicAi.Core.Agents.Tools;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.Inbox;
using MicAi.Core.Media;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Core.Simulator;
using MicAi.Core.Storage;
using MicAi.Core.Telemetry;
using MicAi.Core.WhatsApp;
using Microsoft.Extensions.Configuration;

namespace MicAi.Core;

/// <summary>
/// Every capability's settings, read once at start-up by one <see cref="SettingsReader"/>. Each capability folder
/// declares its own (names, defaults, meanings); <see cref="Load"/> reports every problem of all of them in one
/// <see cref="InvalidSettingsException"/>, so an operator fixes a prod deployment in one pass.
/// </summary>
public sealed record MicAiSettings(
    AppSettings App,
    HostingSettings Hosting,
    StorageSettings Storage,
    QueueSettings Queue,
    WorkerSettings Worker,
    SchedulerSettings Scheduler,
    WhatsAppSettings WhatsApp,
    InboxSettings Inbox,
    OutboundSettings Outbound,
    AgentSettings Agents,
    WeatherSettings Weather,
    LlmSettings Llm,
    AdminSettings Admin,
    SimulatorSettings Simulator,
    MediaSettings Media,
    TranscriptionSettings Transcription,
    TelemetrySettings Telemetry)
{
    public static MicAiSettings Load(Func<string, string?> variable, SecretSource secrets)
    {
        var r = new SettingsReader(variable, secrets);
        var settings = new MicAiSettings(
            AppSettings.Read(r), HostingSettings.Read(r), StorageSettings.Read(r), QueueSettings.Read(r), WorkerSettings.Read(r),
            SchedulerSettings.Read(r), WhatsAppSettings.Read(r), InboxSettings.Read(r), OutboundSettings.Read(r),
            AgentSettings.Read(r), WeatherSettings.Read(r), LlmSettings.Read(r), AdminSettings.Read(r), SimulatorSettings.Read(r),
            MediaSettings.Read(r), TranscriptionSettings.Read(r), TelemetrySettings.Read(r));
        r.ThrowIfProblems();
        return settings;
    }

    public static MicAiSettings Load(IConfiguration configuration, SecretSource? secrets = null) =>
        Load(key => configuration[key], secrets ?? SecretSource.Default);

    /// <summary>
    /// <see cref="Load(IConfiguration, SecretSource?)"/> through the <see cref="SettingsGate"/>: waits while settings are
    /// unresolved Key Vault references. Null when <paramref name="stop"/> ended the wait.
    /// </summary>
    public static Task<MicAiSettings?> LoadWhenResolvedAsync(IConfiguration configuration, Action<string> waiting, CancellationToken stop) =>
        SettingsGate.LoadAsync(() => Load(configuration), key => configuration[key], waiting, stop);

    /// <summary>Never print secrets: the default record ToString would.</summary>
    public override string ToString() =>
        $"MicAiSettings {{ Environment = {App.Environment}, {Queue}, {WhatsApp}, OutboundReplyEnabled = {Outbound.ReplyEnabled} }}";
}
