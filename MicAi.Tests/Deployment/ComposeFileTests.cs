using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Deployment;

public class ComposeFileTests
{
    private readonly ComposeFile compose = ComposeFile.Load();

    [Fact]
    public void Compose_RunsTheSameRolesAsRender_FromTheImageEntrypoint()
    {
        var docker = DockerfileModel.Load();
        var roles = compose.AppServices.ToDictionary(
            s => s.Name, s => HostRoles.RoleOf(docker.Argv(ComposeFile.Command(s.Node)), $"compose {s.Name}"));
        Assert.Equal(new Dictionary<string, string>
        {
            ["migrate"] = "migrate", ["api"] = "api", ["worker"] = "worker", ["scheduler"] = "scheduler",
        }, roles);
        Assert.All(compose.AppServices, s => Assert.False(s.Node.Has("entrypoint"), $"{s.Name} must keep the image ENTRYPOINT"));
    }

    /// <summary>
    /// The real settings loader, fed compose's environment and the files bin/init-secrets writes (mounted at
    /// /run/secrets), finds in prod exactly the three Meta placeholders the operator must still paste in.
    /// </summary>
    [Fact]
    public async Task Compose_ProvidesEveryProdRequiredVariable_ThroughEnvOrSecretFiles()
    {
        using var dir = new TempDir();
        var run = await ProcessRun.RunAsync(RepoFiles.PathOf("bin/init-secrets"), ["--dir", dir.Path]);
        Assert.True(run.ExitCode == 0, run.Output);

        foreach (var (_, service) in compose.AppServices)
        {
            Assert.Contains("./secrets:/run/secrets:ro,z", service["volumes"].Items.Select(v => v.Text));
            var env = ComposeFile.EnvOf(service).ToDictionary(p => p.Key, p => p.Value);
            env[AppSettings.Keys.AppEnv] = "prod";

            var error = Assert.Throws<InvalidSettingsException>(() => MicAiSettings.Load(k => env.GetValueOrDefault(k), new SecretSource(dir.Path)));
            Assert.Equal(
                new[] { WhatsAppSettings.Keys.AccessToken, WhatsAppSettings.Keys.PhoneNumberId, WhatsAppSettings.Keys.AppSecret }
                    .Select(k => $"{k} is still a change-me placeholder").Order(),
                error.Problems.Order());
            // The database URL comes from the secret file and points at the compose postgres service.
            Assert.Equal("postgres", new Uri(File.ReadAllText(Path.Combine(dir.Path, "database_url")).Trim()).Host);
            Assert.Equal("redis", new Uri(env[QueueSettings.Keys.RedisUrl]).Host);
        }
    }

    [Fact]
    public void Compose_PublishesTheApiOnHost8001_ToTheImagePort()
    {
        var api = compose.Service("api");
        var port = DockerfileModel.Load().Env["PORT"];
        Assert.Equal($"8001:{port}", ComposeFile.Interpolate(Assert.Single(api["ports"].Items).Text));
        Assert.Equal(port, ComposeFile.EnvOf(api)["PORT"]);
        Assert.Equal("/app/micai-healthcheck", api["healthcheck"]["test"].Items[1].Text);
    }

    [Fact]
    public void Compose_StartsAppsOnlyAfterTheirDependenciesAreReady()
    {
        Assert.Equal("service_healthy", compose.Service("migrate")["depends_on"]["postgres"]["condition"].Text);
        Assert.Equal("no", compose.Service("migrate")["restart"].Text);
        foreach (var name in new[] { "api", "worker", "scheduler" })
        {
            var after = compose.Service(name)["depends_on"];
            Assert.Equal("service_completed_successfully", after["migrate"]["condition"].Text);
            Assert.Equal("service_healthy", after["postgres"]["condition"].Text);
            Assert.Equal("service_healthy", after["redis"]["condition"].Text);
        }
        Assert.True(compose.Service("postgres").Has("healthcheck"));
        Assert.True(compose.Service("redis").Has("healthcheck"));
    }

    [Fact]
    public void Compose_RedisNeverEvicts_AndPersists()
    {
        var command = string.Join(' ', ComposeFile.Command(compose.Service("redis")));
        Assert.Contains("--maxmemory-policy noeviction", command);
        Assert.Contains("--appendonly yes", command);
        Assert.StartsWith("docker.io/library/redis:7", compose.Service("redis")["image"].Text);
        Assert.StartsWith("docker.io/library/postgres:16", compose.Service("postgres")["image"].Text);
    }

    [Fact]
    public void Compose_StartsOutboundOff_LikeRender()
    {
        foreach (var (name, service) in compose.AppServices)
            Assert.True(ComposeFile.EnvOf(service)[OutboundSettings.Keys.ReplyEnabled] == "false", name);
    }
}
