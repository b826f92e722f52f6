using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.Storage;
using MicAi.Host;

HostRole role;
try { role = HostRole.Parse(args, Environment.GetEnvironmentVariable(MicAiSettings.Keys.Role)); }
catch (ArgumentException ex) { Console.Error.WriteLine(ex.Message); return 2; }

// Only roles that serve HTTP start Kestrel; worker and scheduler are plain generic hosts (no port, less memory).
// Settings come from the environment; the file watchers for appsettings reloads cost ~100 ms of start-up (bench).
string[] hostArgs = ["--hostBuilder:reloadConfigOnChange=false", .. args];
IHostApplicationBuilder builder = role.ServesHttp ? WebApplication.CreateSlimBuilder(hostArgs) : Host.CreateApplicationBuilder(hostArgs);
// Per-request framework logs cost ~17% of the api's CPU per webhook (bench); MicAi logs its own events.
builder.Logging.ClearProviders().AddJsonConsole(o => o.IncludeScopes = false)
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
try
{
    if (!await SettingsWait.AddMicAiCoreAsync(builder)) return 0; // stopped while waiting for unresolved settings
}
catch (InvalidSettingsException ex) { Console.Error.WriteLine(ex.Message); return 3; }

var settings = builder.Services.GetMicAiSettings();
// SIGTERM: in-flight jobs get this long to finish (Render allows 30 s before SIGKILL).
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Reliability.ShutdownTimeout);
if (role.RunsWorker) builder.Services.AddHostedService<WorkerService>();
if (role.RunsScheduler) builder.Services.AddHostedService<SchedulerService>();

IHost app;
if (builder is WebApplicationBuilder web)
{
    web.WebHost.UseUrls($"http://0.0.0.0:{settings.Port}");
    web.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.WebhookMaxBodyBytes * 2);
    var webApp = web.Build();
    webApp.MapMicAi();
    app = webApp;
}
else
{
    app = ((HostApplicationBuilder)builder).Build();
}

var log = app.Services.GetRequiredService<ILogger<Program>>();
HostLog.Starting(log, role.Name, settings.Environment.ToString());
if (settings.WhatsApp.AppSecret is null && role.ServesHttp) HostLog.UnsignedWebhooksAccepted(log);

// Every role brings the schema up to date unless MICAI_MIGRATE_ON_START=false (then a release step does it).
if (role.MigrateOnly || (settings.MigrateOnStart ?? true))
{
    using var signal = new StopSignal();
    if (!await StartupMigration.ApplyAsync(app.Services.GetRequiredService<Migrator>(), log, waitForDatabase: !role.MigrateOnly, signal.Token))
        return 0; // stopped while waiting for Postgres
}
if (role.MigrateOnly) return 0;
StartupMemory.TrimAfterStart(app);
await app.RunAsync();
return 0;

public partial class Program;
