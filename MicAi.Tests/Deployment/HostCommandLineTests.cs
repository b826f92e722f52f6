using MicAi.Core.Configuration;
using MicAi.Tests.Deployment.Support;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Deployment;

/// <summary>
/// The published Host, started with exactly the command lines the Dockerfile, compose.yml and the Render
/// Blueprints use, against real Postgres and Redis, each case on a fresh database.
/// </summary>
[Collection(PublishedHostCollection.Name)]
public class HostCommandLineTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Render stops a service with SIGTERM and kills it after maxShutdownDelaySeconds (30).</summary>
    private static readonly TimeSpan RenderShutdownDelay = TimeSpan.FromSeconds(30);

    public static TheoryData<string> CommandLines() => new(DeploymentCommandLines.All.Keys);

    [Theory, MemberData(nameof(CommandLines))]
    public async Task Host_RunsItsRole_WhenStartedWithTheDeploymentCommandLine(string source)
    {
        var argv = DeploymentCommandLines.All[source];
        var role = HostRoles.RoleOf(argv, source);
        await using var db = await TestDatabase.CreateAsync();
        await using var host = HostProcess.StartCommand(argv, DeploymentEnvironment.Prod(db, HostProcess.FreePort()));

        if (role == "migrate")
        {
            Assert.True(await host.WaitForExitAsync(StartTimeout) == 0, $"{source}: migrate failed:\n{host.Output}");
            Assert.True(await db.ScalarAsync("SELECT count(*) FROM schemaversions") > 0, $"{source}: no migration journaled");
            return;
        }

        if (HostRoles.Http.Contains(role))
        {
            await host.WaitForHealthAsync(StartTimeout);
        }
        else
        {
            await WaitForAsync(() => host.Output.Contains($"MicAi {role} starting"), host, source);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(host.HasExited, $"{source}: {role} exited with {(host.HasExited ? host.ExitCode : 0)}:\n{host.Output}");
            Assert.False(await ListensAsync(host), $"{source}: {role} must not open PORT (Render workers take no traffic)");
        }
        // Every role applies migrations at start-up too (under an advisory lock), so a missed pre-deploy is harmless.
        Assert.True(await db.IsMigratedWithinAsync(StartTimeout), $"{source}: schema not migrated:\n{host.Output}");
        Assert.True(await host.TerminateAsync(RenderShutdownDelay) == 0, $"{source}: unclean stop:\n{host.Output}");
    }

    /// <summary>DEPLOYMENT.md's troubleshooting table: placeholders left in prod stop the process with exit code 3.</summary>
    [Fact]
    public async Task Host_Exits3NamingEveryPlaceholder_WhenStartedWithTheEnvExample()
    {
        await using var db = await TestDatabase.CreateAsync();
        var env = DeploymentEnvironment.Prod(db, HostProcess.FreePort());
        foreach (var line in File.ReadLines(RepoFiles.PathOf("render.env.example")).Where(l => l.Length > 0 && !l.StartsWith('#')))
            env[line[..line.IndexOf('=')]] = line[(line.IndexOf('=') + 1)..];
        env["PORT"] = HostProcess.FreePort().ToString();
        await using var host = HostProcess.StartCommand(DeploymentCommandLines.All["render.yaml micai-api"], env);

        Assert.Equal(3, await host.WaitForExitAsync(StartTimeout));
        Assert.Contains($"MicAi refuses to start (prod): {SettingsCatalog.RequiredInProd.Count} configuration problem(s):", host.Output);
        Assert.All(SettingsCatalog.RequiredInProd, k => Assert.Contains($"{k} is still a change-me placeholder", host.Output));
    }

    /// <summary>
    /// What a platform that appends the Docker command to the image ENTRYPOINT would run
    /// ("dotnet MicAi.Host.dll dotnet MicAi.Host.dll worker"): the Host skips the repeated launcher and runs the role.
    /// </summary>
    [Fact]
    public async Task Host_RunsTheRole_WhenTheCommandIsAppendedToTheEntrypoint()
    {
        await using var db = await TestDatabase.CreateAsync();
        var argv = DockerfileModel.Load().Argv(DeploymentCommandLines.All["render.yaml micai-worker"]);
        await using var host = HostProcess.StartCommand(argv, DeploymentEnvironment.Prod(db, HostProcess.FreePort()));

        await WaitForAsync(() => host.Output.Contains("MicAi worker starting"), host, "appended command");
        await Task.Delay(TimeSpan.FromSeconds(3)); // past start-up migrations, so SIGTERM meets the running host
        Assert.False(host.HasExited, host.Output);
        Assert.Equal(0, await host.TerminateAsync(RenderShutdownDelay));
    }

    [Fact]
    public async Task Healthcheck_Passes_WhileTheApiAnswers_AndFails_OnceItStops()
    {
        await using var db = await TestDatabase.CreateAsync();
        var port = HostProcess.FreePort();
        await using var host = HostProcess.StartCommand(DeploymentCommandLines.All["Dockerfile ENTRYPOINT+CMD"], DeploymentEnvironment.Prod(db, port));
        await host.WaitForHealthAsync(StartTimeout);
        var env = new Dictionary<string, string?> { ["PORT"] = port.ToString(), ["MICAI_ROLE"] = "api" };

        var healthy = await ProcessRun.RunAsync(RepoFiles.PathOf("docker/healthcheck"), [], env);
        Assert.True(healthy.ExitCode == 0, healthy.Output);

        await host.TerminateAsync(RenderShutdownDelay);
        var down = await ProcessRun.RunAsync(RepoFiles.PathOf("docker/healthcheck"), [], env);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains($"nothing listens on 127.0.0.1:{port}", down.Stderr);

        // Roles without HTTP have nothing to probe: healthy while the container runs.
        var worker = await ProcessRun.RunAsync(RepoFiles.PathOf("docker/healthcheck"), [], new Dictionary<string, string?> { ["PORT"] = port.ToString(), ["MICAI_ROLE"] = "worker" });
        Assert.Equal(0, worker.ExitCode);
    }

    private static async Task<bool> ListensAsync(HostProcess host)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try { await http.GetAsync($"{host.BaseUrl}/health"); return true; }
        catch (HttpRequestException) { return false; }
    }

    private static async Task WaitForAsync(Func<bool> condition, HostProcess host, string source)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!condition())
        {
            if (host.HasExited) throw new Xunit.Sdk.XunitException($"{source}: exited with {host.ExitCode}:\n{host.Output}");
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"{source}: did not start within {StartTimeout}:\n{host.Output}");
            await Task.Delay(200);
        }
    }
}
