using System.Runtime.Versioning;
using System.Text.Json;
using MicAi.Tests.Deployment.Support;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Deployment;

/// <summary>
/// The image bin/test built from the Dockerfile (podman, stand-in base images; bin/lib/container.sh), started the
/// way the deployment files start it, against the test's Postgres and Redis. ENTRYPOINT, CMD, WORKDIR, ENV, USER and
/// HEALTHCHECK all come from the built image's config.
/// </summary>
[UnsupportedOSPlatform("windows")] // Unix file modes, namespaces and /proc
[Collection(PublishedHostCollection.Name)]
public class ContainerImageTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Render waits 30 s after SIGTERM (maxShutdownDelaySeconds), compose's stop_grace_period here is 30 s.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan ExecTimeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Runs() => new(ContainerRuns.All.Keys);

    [ContainerTheory, MemberData(nameof(Runs))]
    public async Task Image_RunsTheCommand_AsItsNonRootUser_HealthyUntilSigterm_ThenExits0(string source)
    {
        var image = ContainerImage.Current;
        var run = ContainerRuns.All[source];
        var role = HostRoles.RoleOf(image.Argv(run.Command), source);
        await using var db = await TestDatabase.CreateAsync();
        using var secrets = new TempDir();
        var port = HostProcess.FreePort();
        var setup = await run.Prepare(db, port, secrets.Path);
        await using var container = ContainerProcess.Start(image, run.Command, setup.Env, setup.Binds);

        Assert.True(container.User.Uid != 0, $"{image.Name} runs as root (USER '{image.User}')");
        if (role == "migrate")
        {
            Assert.True(await container.WaitForExitAsync(StartTimeout) == 0, $"{source}: migrate failed:\n{container.Output}");
            Assert.True(await db.ScalarAsync("SELECT count(*) FROM schemaversions") > 0, $"{source}: no migration journaled");
            return;
        }

        if (HostRoles.Http.Contains(role)) await WaitForHealthAsync(container, port, source);
        else await WaitForStartAsync(container, role, source);
        Assert.All(container.Pid1Uids(), uid => Assert.Equal(container.User.Uid, uid));

        var check = await container.ExecAsync(image.HealthcheckArgv(), ExecTimeout);
        Assert.True(check.ExitCode == 0, $"{source}: HEALTHCHECK {string.Join(' ', image.HealthcheckArgv())} exited {check.ExitCode}: {check.Output}");
        Assert.True(await db.IsMigratedWithinAsync(StartTimeout), $"{source}: schema not migrated at start-up:\n{container.Output}");

        Assert.True(await container.TerminateAsync(StopTimeout) == 0, $"{source}: unclean stop on SIGTERM:\n{container.Output}");
    }

    /// <summary>What the build must carry over from the Dockerfile and the aspnet base image's contract.</summary>
    [ContainerFact]
    public void Image_KeepsTheDockerfilesEntrypointCmdEnvAndHealthcheck_AndRunsAsTheBaseImagesAppUser()
    {
        var image = ContainerImage.Current;
        var docker = DockerfileModel.Load();
        Assert.Equal(docker.Entrypoint, image.Entrypoint);
        Assert.Equal(docker.Cmd, image.Cmd);
        var env = image.Env.ToDictionary(p => p.Key, p => p.Value);
        Assert.All(docker.Env, p => Assert.Equal(p.Value.Trim('"'), env.GetValueOrDefault(p.Key)));
        var healthcheck = docker.HealthCheck!;
        Assert.Equal(["CMD", .. JsonSerializer.Deserialize<string[]>(healthcheck[(healthcheck.IndexOf("CMD ", StringComparison.Ordinal) + 4)..])!], image.HealthcheckTest);

        // USER $APP_UID: the base image's variable, resolved at build time to its `app` user.
        var user = image.ResolveUser();
        Assert.Equal(env["APP_UID"], user.Uid.ToString());
        Assert.Contains(File.ReadLines(Path.Combine(image.Root, "etc/passwd")), l => l.StartsWith($"app:x:{user.Uid}:{user.Gid}:", StringComparison.Ordinal));
    }

    /// <summary>
    /// The image precompiles OpenTelemetry's assemblies (ReadyToRun: the api builds its meter provider on the way to its
    /// first /health) and nothing else: a precompiled image costs RSS in every role that loads it (MicAi.Host.csproj).
    /// </summary>
    [ContainerFact]
    public void Image_PrecompilesOpenTelemetry_AndLeavesMicAiNpgsqlAndRedisAsIl()
    {
        var app = Path.Combine(ContainerImage.Current.Root, ContainerImage.Current.WorkingDir.TrimStart('/'));
        Assert.All(["OpenTelemetry.dll", "OpenTelemetry.Api.dll", "OpenTelemetry.Exporter.Prometheus.AspNetCore.dll"],
            dll => Assert.True(IsReadyToRun(Path.Combine(app, dll)), $"{dll} is not precompiled"));
        Assert.All(["MicAi.Host.dll", "MicAi.Core.dll", "Npgsql.dll", "StackExchange.Redis.dll"],
            dll => Assert.False(IsReadyToRun(Path.Combine(app, dll)), $"{dll} is precompiled"));
    }

    /// <summary>A ReadyToRun image carries a managed native header next to its IL (ECMA-335 CLI header).</summary>
    private static bool IsReadyToRun(string path)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>
    /// migrate as the container's PID 1 against a database that refuses the connection: exit 1 and one line saying why
    /// (an unhandled exception's abort is ignored for PID 1, which then died of SIGSEGV, 139), no password in it.
    /// </summary>
    [ContainerFact]
    public async Task Image_Migrate_WhenTheDatabaseRefuses_Exits1_WithOneLineAndNoSecret()
    {
        var image = ContainerImage.Current;
        await using var db = await TestDatabase.CreateAsync();
        var env = DeploymentEnvironment.Platform(db, HostProcess.FreePort());
        env["MICAI_DATABASE_URL"] = $"postgresql://micai:refused-pw-7f3a@127.0.0.1:{HostProcess.FreePort()}/micai";
        await using var container = ContainerProcess.Start(image, ["migrate"], env, ContainerRuns.EngineBinds());

        Assert.Equal(1, await container.WaitForExitAsync(StartTimeout));
        Assert.Single(container.Output.Split('\n'), l => l.Contains("migrating the database failed", StringComparison.Ordinal));
        Assert.DoesNotContain("refused-pw-7f3a", container.Output);
        Assert.DoesNotContain("   at ", container.Output); // no stack trace
    }

    /// <summary>
    /// Nothing under WORKDIR is writable by the app's user (DEPLOYMENT.md, "Container"), and the test CA is readable
    /// at the path the database and Redis URLs give, so TLS URLs work from inside the image.
    /// </summary>
    [ContainerFact]
    public async Task ImageUser_CannotWriteTheApp_AndReadsTheTestCaAtItsHostPath()
    {
        var image = ContainerImage.Current;
        await using var db = await TestDatabase.CreateAsync();
        var port = HostProcess.FreePort();
        await using var container = ContainerProcess.Start(image, null, DeploymentEnvironment.Platform(db, port), ContainerRuns.EngineBinds());
        await WaitForHealthAsync(container, port, "image CMD");

        var write = await container.ExecAsync(["/bin/sh", "-c", "touch MicAi.Host.dll && exit 3; touch new-file && exit 4; exit 0"], ExecTimeout);
        Assert.True(write.ExitCode == 0, $"the image user could change {image.WorkingDir} (exit {write.ExitCode}: 3 a file, 4 the folder)");

        var tls = TestServers.Required("MICAI_TEST_TLS_DIR");
        var ca = await container.ExecAsync(["/bin/cat", Path.Combine(tls, "ca.crt")], ExecTimeout);
        Assert.True(ca.ExitCode == 0, ca.Output);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(tls, "ca.crt")), ca.Stdout);
        Assert.Equal(0, await container.TerminateAsync(StopTimeout));
    }

    private static async Task WaitForHealthAsync(ContainerProcess container, int port, string source)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitForAsync(container, source, async () =>
        {
            try { return (await http.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        });
    }

    /// <summary>A role without HTTP: started (its log says so) and still running a moment later.</summary>
    private static async Task WaitForStartAsync(ContainerProcess container, string role, string source)
    {
        await WaitForAsync(container, source, () => Task.FromResult(container.Output.Contains($"MicAi {role} starting")));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(container.HasExited, $"{source}: exited with {(container.HasExited ? container.ExitCode : 0)}:\n{container.Output}");
    }

    private static async Task WaitForAsync(ContainerProcess container, string source, Func<Task<bool>> ready)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await ready())
        {
            if (container.HasExited) throw new Xunit.Sdk.XunitException($"{source}: exited with {container.ExitCode}:\n{container.Output}");
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"{source}: not ready within {StartTimeout}:\n{container.Output}");
            await Task.Delay(200);
        }
    }
}
