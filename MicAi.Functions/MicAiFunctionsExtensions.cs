using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MicAi.Functions;

/// <summary>Core's composition behind the start-up gate: a worker that cannot serve yet stays up and says why.</summary>
internal static class MicAiFunctionsExtensions
{
    public static FunctionsApplicationBuilder AddMicAiFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.UseMiddleware<StartupGateMiddleware>();
        try
        {
            var settings = MicAiSettings.Load(builder.Configuration);
            builder.AddMicAiCore(settings, FunctionsTelemetry.Role(settings.Telemetry, builder.Configuration));
            builder.Services.AddAdminCatchAll(MicAiEndpoints.MapAdminApiAndConsole); // the Admin function: every admin endpoint and the console behind one route
        }
        catch (InvalidSettingsException ex) when (ex.OnlyUnresolvedReferences)
        {
            // Key Vault references the platform has not resolved yet: stay up and say so, instead of exiting (which the
            // Functions host answers by starting the worker again, over and over). Genuine problems still stop the start.
            builder.Services.AddSingleton(new StartupGate(SettingsGate.Describe(ex.Unresolved))).AddHostedService<SettingsRecheck>();
            return builder;
        }
        // Migrations at start are off unless asked: a cold start on every instance is no place for them; the azd
        // predeploy hook (bin/azd-migrate) runs them once per deploy (docs/functions.md). The gate is closed from the
        // first request on while they run.
        builder.Services.AddSingleton(services => new StartupGate(
            services.GetRequiredService<StartupReadiness>().MigratesAtStart(MigrateOnStart.AdapterDefault) ? MigrateOnStart.Reason : null));
        builder.Services.AddHostedService<MigrateOnStart>();
        return builder;
    }
}
