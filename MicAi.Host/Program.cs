using System.Runtime.CompilerServices;
using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Host;

HostRole role;
try { role = HostRole.Parse(args, HostingSettings.Role(Environment.GetEnvironmentVariable)); }
catch (ArgumentException ex) { Console.Error.WriteLine(ex.Message); return 2; }

var builder = RoleHost.CreateBuilder(role, args);
MicAiSettings? settings;
using (var signal = new StopSignal()) // SIGTERM while waiting for settings exits 0
{
    try { settings = await MicAiSettings.LoadWhenResolvedAsync(builder.Configuration, Console.Error.WriteLine, signal.Token); }
    catch (InvalidSettingsException ex) { Console.Error.WriteLine(ex.Message); return 3; }
}
if (settings is null) return 0;

var app = builder.AddMicAiCore(settings, role.Telemetry).Build(role, settings);
if (role.ServesHttp) MapRoutes(app);
return await app.RunAsync(role);

// /health, /ready, /webhook, /admin/* from Core's one route table, behind the start-up schema gate. A method of its
// own, so that compiling the lines above does not load ASP.NET Core's routing into a worker or scheduler.
[MethodImpl(MethodImplOptions.NoInlining)]
static void MapRoutes(IHost app) => ((WebApplication)app).UseSchemaGate().MapMicAi();

public partial class Program;
