using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Deployment;

public class RenderBlueprintTests
{
    public static TheoryData<string> Blueprints => new() { "render.yaml", "render.single.yaml" };

    private static readonly string[] MetaSecrets =
    [
        WhatsAppSettings.Keys.VerifyToken, WhatsAppSettings.Keys.AccessToken,
        WhatsAppSettings.Keys.PhoneNumberId, WhatsAppSettings.Keys.AppSecret,
    ];

    /// <summary>
    /// The pre-deploy migrate runs in the web service's own environment and refuses to start in prod like every role,
    /// so it is listed with the services. The required list comes from the code's own prod checks.
    /// </summary>
    [Theory, MemberData(nameof(Blueprints))]
    public void Blueprint_GivesEveryServiceAndThePreDeployMigrate_EveryValueProdRequires(string file)
    {
        var required = ProdSettings.RequiredVariables();
        Assert.Contains(WhatsAppSettings.Keys.AppSecret, required); // the derivation found the prod-only checks too
        var blueprint = RenderBlueprint.Load(file);
        Assert.NotEmpty(blueprint.AppServices);
        foreach (var (service, process) in Processes(blueprint))
        {
            var env = blueprint.EnvOf(service);
            var missing = required.Where(k => !env.ContainsKey(k)).ToList();
            Assert.True(missing.Count == 0, $"{file} {process} lacks {string.Join(", ", missing)}");
        }
    }

    /// <summary>Loads the real settings from what Render would inject: prod must accept it with no problem.</summary>
    [Theory, MemberData(nameof(Blueprints))]
    public void Blueprint_VariablesPassProdValidation_ForEveryServiceAndThePreDeployMigrate(string file)
    {
        var blueprint = RenderBlueprint.Load(file);
        foreach (var (service, process) in Processes(blueprint))
        {
            var env = blueprint.SimulatedEnvironment(service);
            var problems = ProdSettings.Problems(env);
            Assert.True(problems.Count == 0, $"{file} {process} would refuse to start: {string.Join("; ", problems)}");
            Assert.Equal("prod", env[AppSettings.Keys.AppEnv]);
            Assert.Equal("false", env[OutboundSettings.Keys.ReplyEnabled]); // bring-up is receive-only
        }
    }

    /// <summary>Each app service, and the web service again for its pre-deploy command (same environment).</summary>
    private static IEnumerable<(YamlNode Service, string Process)> Processes(RenderBlueprint blueprint) =>
        blueprint.AppServices.SelectMany(s => s.Has("preDeployCommand")
            ? new[] { (s, s["name"].Text), (s, s["name"].Text + " preDeployCommand") }
            : [(s, s["name"].Text)]);

    [Theory, MemberData(nameof(Blueprints))]
    public void Blueprint_StartsEveryServiceWithARealRole(string file)
    {
        var blueprint = RenderBlueprint.Load(file);
        var roles = blueprint.AppServices.Select(s =>
            HostRoles.RoleOf(HostRoles.SplitNoShell(s["dockerCommand"].Text, s.Path), $"{file} {s["name"].Text}")).ToList();
        Assert.Equal(file == "render.yaml" ? ["api", "worker", "scheduler"] : ["all"], roles);
    }

    [Theory, MemberData(nameof(Blueprints))]
    public void Blueprint_MigratesBeforeEveryDeploy_OnTheWebService(string file)
    {
        var web = RenderBlueprint.Load(file).AppServices.Single(s => s["type"].Text == "web");
        var argv = HostRoles.SplitNoShell(web["preDeployCommand"].Text, web.Path);
        Assert.Equal("migrate", HostRoles.RoleOf(argv, $"{file} preDeployCommand"));
    }

    [Theory, MemberData(nameof(Blueprints))]
    public void Blueprint_WebServiceListensOnTheImagePort_AndChecksHealth(string file)
    {
        var blueprint = RenderBlueprint.Load(file);
        var web = blueprint.AppServices.Single(s => s["type"].Text == "web");
        Assert.Equal("/health", web["healthCheckPath"].Text);
        Assert.Equal(DockerfileModel.Load().Env["PORT"], blueprint.EnvOf(web)["PORT"]["value"].Text);
        Assert.Equal("./Dockerfile", web["dockerfilePath"].Text);
    }

    [Theory, MemberData(nameof(Blueprints))]
    public void Blueprint_KeyValueNeverEvicts_AndIsPrivate(string file)
    {
        var kv = RenderBlueprint.Load(file).Services.Single(s => s["type"].Text == "keyvalue");
        Assert.Equal("micai-redis", kv["name"].Text);
        Assert.Equal("noeviction", kv["maxmemoryPolicy"].Text);
        Assert.Empty(kv["ipAllowList"].Items);
    }

    /// <summary>
    /// Meta's values are typed by the operator once (sync: false on the web service) and reach the other services by
    /// reference, so every service runs with the very value typed; the admin key is generated once, in the group.
    /// </summary>
    [Theory, MemberData(nameof(Blueprints))]
    public void Blueprint_KeepsMetaSecretsOutOfGit_PromptsEachOnce_AndGeneratesTheAdminKey(string file)
    {
        var blueprint = RenderBlueprint.Load(file);
        var web = blueprint.AppServices.Single(s => s["type"].Text == "web");
        foreach (var key in MetaSecrets)
        {
            Assert.Equal("false", blueprint.EnvOf(web)[key]["sync"].Text);
            foreach (var service in blueprint.AppServices)
                Assert.Equal($"operator-typed-{key.ToLowerInvariant()}", blueprint.SimulatedEnvironment(service)[key]);
        }
        foreach (var service in blueprint.AppServices)
        {
            var env = blueprint.EnvOf(service);
            Assert.Equal("true", env[AdminSettings.Keys.ApiKey]["generateValue"].Text);
            Assert.Equal("prod", env[AppSettings.Keys.AppEnv]["value"].Text);
            Assert.Equal("false", env[OutboundSettings.Keys.ReplyEnabled]["value"].Text);
        }
        // One group shared by all: a key generated per service would give each service a different admin key.
        Assert.Single(blueprint.Groups);
    }

    [Theory, MemberData(nameof(Blueprints))]
    public void Blueprint_GivesWorkersTimeToDrain_BeforeRenderKillsThem(string file)
    {
        var blueprint = RenderBlueprint.Load(file);
        foreach (var service in blueprint.AppServices)
        {
            var delay = int.Parse(service["maxShutdownDelaySeconds"].Text);
            var drain = int.Parse(blueprint.EnvOf(service)["MICAI_SHUTDOWN_TIMEOUT_SECONDS"]["value"].Text);
            Assert.InRange(delay, 1, 300);
            Assert.True(drain < delay, $"{file} {service["name"].Text}: drain {drain}s must end before the {delay}s kill");
        }
    }

    [Fact]
    public void Blueprint_NamesTheServicesTheRunbookUses()
    {
        var blueprint = RenderBlueprint.Load("render.yaml");
        Assert.Equal(["micai-api", "micai-worker", "micai-scheduler", "micai-redis"], blueprint.Services.Select(s => s["name"].Text));
        Assert.Equal(["web", "worker", "worker", "keyvalue"], blueprint.Services.Select(s => s["type"].Text));
        Assert.Equal("micai-postgres", Assert.Single(blueprint.Databases)["name"].Text);
    }
}
