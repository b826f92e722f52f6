using System.Runtime.Versioning;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Deployment.Support;

/// <summary>
/// One way a deployment starts the image: the command after its ENTRYPOINT (null: its CMD) and how the variables
/// and mounts are made, with only the database and Redis URLs, the secrets and the port replaced by the test's own.
/// </summary>
public sealed record ContainerRun(string Source, IReadOnlyList<string>? Command, Func<TestDatabase, int, string, Task<ContainerRunSetup>> Prepare);

/// <summary>The run's variables (null unsets one of the image's) and bind mounts (<c>SRC:DEST[:ro]</c>).</summary>
public sealed record ContainerRunSetup(IReadOnlyDictionary<string, string?> Env, IReadOnlyList<string> Binds);

[UnsupportedOSPlatform("windows")] // Unix file modes, namespaces and /proc
public static class ContainerRuns
{
    /// <summary>
    /// Every compose.yml service built from the Dockerfile, the image's own CMD as a platform runs it, and each
    /// Host role neither starts, so that every role runs from the image.
    /// </summary>
    public static IReadOnlyDictionary<string, ContainerRun> All { get; } = Collect();

    private static Dictionary<string, ContainerRun> Collect()
    {
        var runs = new List<ContainerRun>();
        foreach (var (name, service) in ComposeFile.Load().AppServices)
            runs.Add(new ContainerRun($"compose.yml {name}", ComposeFile.Command(service), (db, port, secrets) => ComposeAsync(service, db, port, secrets)));
        runs.Add(new ContainerRun("image CMD", null, (db, port, _) => PlatformAsync(db, port)));

        var image = DockerfileModel.Load();
        var covered = runs.Select(r => HostRoles.RoleOf(image.Argv(r.Command), r.Source)).ToHashSet();
        foreach (var role in HostRoles.All.Where(r => !covered.Contains(r)))
            runs.Add(new ContainerRun($"image {role}", [role], (db, port, _) => PlatformAsync(db, port)));
        return runs.ToDictionary(r => r.Source);
    }

    /// <summary>
    /// A compose service as written: its environment with the test's Redis URL, key prefix and a free PORT (the host
    /// network is shared here), and its volumes with ./secrets made by bin/init-secrets around the test's database URL.
    /// </summary>
    private static async Task<ContainerRunSetup> ComposeAsync(YamlNode service, TestDatabase db, int port, string secrets)
    {
        var env = ComposeFile.EnvOf(service).ToDictionary(p => p.Key, p => (string?)p.Value);
        env[QueueSettings.Keys.RedisUrl] = TestServers.RedisUrl;
        env[QueueSettings.Keys.RedisKeyPrefix] = db.Name;
        env[HostingSettings.Keys.Port] = port.ToString();

        // The operator's way for a rootful engine (DEPLOYMENT.md §13): files readable by the container user.
        var databaseUrl = Path.Combine(secrets, "database_url");
        await File.WriteAllTextAsync(databaseUrl, db.Url + "\n");
        File.SetUnixFileMode(databaseUrl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var init = await ProcessRun.RunAsync(RepoFiles.PathOf("bin/init-secrets"), ["--dir", secrets, "--mode", "0644"]);
        Assert.True(init.ExitCode == 0, init.Output);

        var binds = new List<string>(EngineBinds());
        foreach (var volume in service.Get("volumes")?.Items ?? [])
        {
            var parts = volume.Text.Split(':');
            Assert.True(parts[0] == "./secrets", $"{volume.Path}: only ./secrets has a stand-in here, not '{parts[0]}'");
            var readOnly = parts.Length > 2 && parts[2].Split(',').Contains("ro");
            binds.Add($"{secrets}:{parts[1]}{(readOnly ? ":ro" : "")}");
        }
        return new ContainerRunSetup(env, binds);
    }

    /// <summary>As Render and the other platforms run it: prod, secrets in variables, the test's servers.</summary>
    private static Task<ContainerRunSetup> PlatformAsync(TestDatabase db, int port) =>
        Task.FromResult(new ContainerRunSetup(DeploymentEnvironment.Platform(db, port), EngineBinds()));

    /// <summary>
    /// What every run gets: the host's /etc/hosts (the host network, as --network host gives it) and the test CA at
    /// the path the database and Redis URLs name (sslrootcert, ssl_ca_certs), read-only.
    /// </summary>
    public static IReadOnlyList<string> EngineBinds()
    {
        var binds = new List<string> { "/etc/hosts:/etc/hosts:ro" };
        if (Environment.GetEnvironmentVariable("MICAI_TEST_TLS_DIR") is { Length: > 0 } tls) binds.Add($"{tls}:{tls}:ro");
        return binds;
    }
}
