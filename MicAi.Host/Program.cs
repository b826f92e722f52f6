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
if (app is WebApplication web) web.MapMicAi(); // /health, /ready, /webhook, /admin/* from Core's one route table
return await app.RunAsync(role);

public partial class Program;
