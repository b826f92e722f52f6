using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// An adapter over Core, like MicAi.Host: the same composition root, no behaviour of its own.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
var gate = new StartupGate();
builder.Services.AddSingleton(gate);
builder.UseMiddleware<StartupGateMiddleware>();
builder.Services.AddOptions<WorkerPollOptions>()
    .Configure<IConfiguration>((o, c) => o.Read(c[WorkerPollOptions.BudgetKey]))
    .ValidateDataAnnotations()
    .ValidateOnStart();
try
{
    builder.AddMicAiCore();
    // Off unless asked: a cold start on every instance is no place for migrations; the azd predeploy hook
    // (bin/azd-migrate) runs them once per deploy (docs/functions.md).
    if (builder.Services.GetMicAiSettings().MigrateOnStart == true)
    {
        gate.Close(MigrateOnStart.Reason);
        builder.Services.AddHostedService<MigrateOnStart>();
    }
}
catch (InvalidSettingsException ex) when (ex.OnlyUnresolvedReferences)
{
    // Key Vault references the platform has not resolved yet: stay up and say so, instead of exiting (which the
    // Functions host answers by starting the worker again, over and over). Genuine problems still stop the start.
    gate.Close(UnresolvedSettings.Describe(ex.Unresolved));
    builder.Services.AddHostedService<SettingsRecheck>();
}

await builder.Build().RunAsync();
