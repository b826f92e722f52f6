using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Http;
using MicAi.Core.Storage;
using MicAi.Host;

HostRole role;
try { role = HostRole.Parse(args, Environment.GetEnvironmentVariable(MicAiSettings.Keys.Role)); }
catch (ArgumentException ex) { Console.Error.WriteLine(ex.Message); return 2; }

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders().AddJsonConsole(o => o.IncludeScopes = false);
try { builder.AddMicAiCore(); }
catch (InvalidSettingsException ex) { Console.Error.WriteLine(ex.Message); return 3; }

var settings = builder.Services.GetMicAiSettings();
builder.WebHost.UseUrls($"http://0.0.0.0:{settings.Port}");
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.WebhookMaxBodyBytes * 2);
if (role.RunsWorker) builder.Services.AddHostedService<WorkerService>();
if (role.RunsScheduler) builder.Services.AddHostedService<SchedulerService>();

var app = builder.Build();
var log = app.Services.GetRequiredService<ILogger<Program>>();
HostLog.Starting(log, role.Name, settings.Environment.ToString());
if (settings.WhatsApp.AppSecret is null && role.ServesHttp)
    app.Services.GetRequiredService<ILogger<WebhookEndpoints>>().LogWarning(
        "MICAI_WHATSAPP_APP_SECRET is not set: webhooks are accepted WITHOUT signature verification (dev/test only)");

await app.Services.GetRequiredService<Migrator>().ApplyAsync(CancellationToken.None);
if (role.MigrateOnly) return 0;

if (role.ServesHttp) app.MapMicAi();
await app.RunAsync();
return 0;

public partial class Program;
