using System.Runtime.CompilerServices;
using MicAi.Core;
using MicAi.Core.Hosting;
using MicAi.Core.Telemetry;
using MicAi.Core.WhatsApp;

namespace MicAi.Host;

/// <summary>How one role becomes a process: which host it is built on, what it runs, and what happens before it runs.</summary>
internal static class RoleHost
{
    /// <summary>
    /// Only roles that serve HTTP start Kestrel; worker and scheduler are plain generic hosts (no port, less memory).
    /// Settings come from the environment; the file watchers for appsettings reloads cost ~100 ms of start-up (bench).
    /// </summary>
    public static IHostApplicationBuilder CreateBuilder(HostRole role, string[] args)
    {
        string[] hostArgs = ["--hostBuilder:reloadConfigOnChange=false", .. args];
        IHostApplicationBuilder builder = role.ServesHttp ? CreateWebBuilder(hostArgs) : Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(hostArgs);
        // Per-request framework logs cost ~17% of the api's CPU per webhook (bench); MicAi logs its own events.
        builder.Logging.ClearProviders().AddMicAiConsole(TelemetrySettings.ReadLogFormat(Environment.GetEnvironmentVariable))
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        return builder;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IHostApplicationBuilder CreateWebBuilder(string[] args) => WebApplication.CreateSlimBuilder(args);

    /// <summary>The role's own parts over Core: its loops, and for HTTP roles the port and the request limit (routes: Program).</summary>
    public static IHost Build(this IHostApplicationBuilder builder, HostRole role, MicAiSettings settings)
    {
        // SIGTERM: in-flight jobs get this long to finish (Render allows 30 s before SIGKILL).
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Hosting.ShutdownTimeout);
        builder.Services.AddSingleton<SchemaGate>();
        if (role.RunsWorker) builder.Services.AddHostedService<WorkerService>();
        if (role.RunsScheduler) builder.Services.AddHostedService<SchedulerService>();
        return builder is HostApplicationBuilder plain ? plain.Build() : BuildWeb(builder, settings);
    }

    /// <summary>
    /// Kestrel's part, in a method of its own: the JIT loads the assemblies of the types a method names when it
    /// compiles it, so with these lines inline a worker or scheduler mapped Kestrel and ASP.NET Core's hosting
    /// (~2 MB of RSS, bench) without ever running them. The same holds for <see cref="CreateWebBuilder"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IHost BuildWeb(IHostApplicationBuilder builder, MicAiSettings settings)
    {
        var web = (WebApplicationBuilder)builder;
        web.WebHost.UseUrls($"http://0.0.0.0:{settings.Hosting.Port}");
        web.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.Inbox.WebhookMaxBodyBytes * 2);
        return web.Build();
    }

    /// <summary>
    /// Start-up readiness (migrations: at start unless MICAI_MIGRATE_ON_START=false, or the whole migrate role), then run.
    /// A role that serves HTTP listens while it checks (<see cref="SchemaGate"/>); the others check, then start.
    /// A failed migration (Postgres refused or unreachable for the migrate role, bad credentials, a failing script) ends
    /// the process with one log line and exit code 1: an exception left unhandled would abort the runtime, and as a
    /// container's PID 1 that abort is ignored and the process dies of SIGSEGV (139) instead.
    /// </summary>
    public static async Task<int> RunAsync(this IHost app, HostRole role)
    {
        var log = app.Services.GetRequiredService<ILogger<Program>>();
        HostLog.Starting(log, role.Name, app.Services.GetRequiredService<Core.Configuration.AppSettings>().Environment.ToString());
        if (role.ServesHttp && app.Services.GetRequiredService<WhatsAppSettings>().AppSecret is null) HostLog.UnsignedWebhooksAccepted(log);

        var readiness = app.Services.GetRequiredService<StartupReadiness>();
        var gate = app.Services.GetRequiredService<SchemaGate>();
        if (role.ServesHttp && !role.MigrateOnly) return await ServeWhileCheckingAsync(app, role, readiness, gate, log);
        using (var signal = new StopSignal())
        {
            if (role.DryRun)
            {
                foreach (var step in await readiness.PlanMigrationAsync(signal.Token)) Console.Out.WriteLine(step);
                return 0;
            }
            bool ready;
            try
            {
                ready = role.MigrateOnly
                    ? await readiness.MigrateNowAsync(signal.Token)
                    : await readiness.MigrateIfAskedAsync(adapterDefault: true, signal.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return await FailAsync(app, role, log, ex);
            }
            if (!ready || role.MigrateOnly) return 0; // not ready: stopped while waiting for Postgres
        }
        gate.Open();
        if (!await TryStartAsync(app, role, log)) return 1;
        StartupMemory.TrimAfterStart(app);
        await app.WaitForShutdownAsync();
        await DisposeAsync(app);
        return 0;
    }

    /// <summary>
    /// Kestrel and the role's services start first; the migration check runs meanwhile, and the gate opens when it
    /// passes. SIGTERM while Postgres is awaited stops the host, which ends the wait (exit 0).
    /// </summary>
    private static async Task<int> ServeWhileCheckingAsync(IHost app, HostRole role, StartupReadiness readiness, SchemaGate gate, ILogger log)
    {
        if (!await TryStartAsync(app, role, log)) return 1;
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            if (await readiness.MigrateIfAskedAsync(adapterDefault: true, stopping))
            {
                gate.Open();
                StartupMemory.TrimAfterStart(app);
            }
            else gate.Shut();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            gate.Shut();
            await app.StopAsync();
            return await FailAsync(app, role, log, ex);
        }
        await app.WaitForShutdownAsync();
        await DisposeAsync(app);
        return 0;
    }

    /// <summary>
    /// Starts Kestrel and the hosted services. A start that fails (the port taken, say) ends the process with one log
    /// line and exit code 1, as a failed migration does: the exception left unhandled would abort the runtime with a
    /// stack trace (exit 134, or SIGSEGV as a container's PID 1).
    /// </summary>
    private static async Task<bool> TryStartAsync(IHost app, HostRole role, ILogger log)
    {
        try
        {
            await app.StartAsync();
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            HostLog.StartFailed(log, role.Name, ex.GetType().Name, Reasons(ex));
            await DisposeAsync(app);
            return false;
        }
    }

    private static async Task<int> FailAsync(IHost app, HostRole role, ILogger log, Exception ex)
    {
        HostLog.MigrationFailed(log, role.Name, ex.GetType().Name, Reasons(ex));
        await DisposeAsync(app); // flushes the log
        return 1;
    }

    private static async Task DisposeAsync(IHost app)
    {
        if (app is IAsyncDisposable async) await async.DisposeAsync(); else app.Dispose();
    }

    /// <summary>The exception's message and its causes' ("Failed to connect … ← the remote certificate is invalid …").</summary>
    private static string Reasons(Exception ex)
    {
        var reasons = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (!reasons.Contains(e.Message)) reasons.Add(e.Message);
        return string.Join(" ← ", reasons);
    }
}
