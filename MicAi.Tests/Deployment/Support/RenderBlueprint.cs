namespace MicAi.Tests.Deployment.Support;

/// <summary>A render.yaml Blueprint, with each service's variables resolved through its env groups.</summary>
public sealed class RenderBlueprint(YamlNode root)
{
    public static RenderBlueprint Load(string file) => new(RepoFiles.LoadYaml(file));

    public static RenderBlueprint Parse(string yaml, string name = "inline.yaml") => new(RepoFiles.ParseYaml(yaml, name));

    public YamlNode Root { get; } = root;

    public IReadOnlyList<YamlNode> Services => Root["services"].Items;

    /// <summary>Services that run the MicAi image (web, worker, private service with the docker runtime).</summary>
    public IReadOnlyList<YamlNode> AppServices => Services.Where(s => s.Get("runtime")?.Text == "docker").ToList();

    public YamlNode Service(string name) => Services.Single(s => s["name"].Text == name);

    public IReadOnlyList<YamlNode> Groups => Root.Get("envVarGroups")?.Items ?? [];

    public IReadOnlyList<YamlNode> Databases => Root.Get("databases")?.Items ?? [];

    /// <summary>The entries of a service's own <c>envVars</c> list (groups not expanded).</summary>
    public static IReadOnlyList<YamlNode> OwnEntries(YamlNode service) => service.Get("envVars")?.Items ?? [];

    /// <summary>Every variable a service receives: its own envVars plus the vars of each fromGroup, key → entry.</summary>
    public IReadOnlyDictionary<string, YamlNode> EnvOf(YamlNode service)
    {
        var env = new Dictionary<string, YamlNode>();
        foreach (var entry in OwnEntries(service))
        {
            if (entry.Get("fromGroup") is { } group)
            {
                var declared = Groups.SingleOrDefault(g => g["name"].Text == group.Text)
                    ?? throw new Xunit.Sdk.XunitException($"{entry.Path}: group '{group.Text}' is not declared in envVarGroups");
                // A service's own value wins over a group's (Render's precedence), so a group never overwrites one.
                // Render ignores a `sync: false` inside a group: that variable is never set (blueprint-spec).
                foreach (var v in declared["envVars"].Items.Where(v => v.Get("sync")?.Text != "false")) env.TryAdd(v["key"].Text, v);
            }
            else
            {
                env[entry["key"].Text] = entry;
            }
        }
        return env;
    }

    /// <summary>
    /// The environment the service's process (and its pre-deploy command) starts with: every variable as Render would
    /// fill it, plus the variables Render itself sets in every service (RENDER=true and the service's name and type).
    /// </summary>
    public Dictionary<string, string> SimulatedEnvironment(YamlNode service)
    {
        var env = EnvOf(service).ToDictionary(p => p.Key, p => Simulate(p.Key, p.Value));
        env["RENDER"] = "true";
        env["RENDER_SERVICE_NAME"] = service["name"].Text;
        env["RENDER_SERVICE_TYPE"] = service["type"].Text;
        return env;
    }

    /// <summary>
    /// The value Render would put in the variable, with stand-ins for what only Render or the operator knows:
    /// a Render Postgres internal URL, a Key Value internal URL, a generated secret, an operator-typed value.
    /// A reference to another service's variable resolves to that variable, so every service sees the one value typed.
    /// </summary>
    public string Simulate(string key, YamlNode entry, int depth = 0)
    {
        if (depth > 4) throw new Xunit.Sdk.XunitException($"{entry.Path}: references go round in a circle");
        if (entry.Get("value") is { } value) return value.Text;
        if (entry.Get("generateValue") is { } gen && gen.Text == "true") return Convert.ToHexString(Guid.NewGuid().ToByteArray());
        if (entry.Get("sync") is { } sync && sync.Text == "false") return $"operator-typed-{key.ToLowerInvariant()}";
        if (entry.Get("fromDatabase") is { } db && db.Get("property")?.Text == "connectionString")
            return "postgresql://micai:pw@dpg-render-a/micai";
        if (entry.Get("fromService") is { } svc)
        {
            if (svc.Get("property")?.Text == "connectionString") return "redis://red-render:6379";
            if (svc.Get("envVarKey") is { } referenced)
            {
                var target = Services.SingleOrDefault(s => s["name"].Text == svc["name"].Text)
                    ?? throw new Xunit.Sdk.XunitException($"{svc.Path}: no service named '{svc["name"].Text}'");
                var source = OwnEntries(target).SingleOrDefault(e => e.Get("key")?.Text == referenced.Text)
                    ?? throw new Xunit.Sdk.XunitException($"{svc.Path}: {target["name"].Text} declares no {referenced.Text}");
                return Simulate(referenced.Text, source, depth + 1);
            }
        }
        throw new Xunit.Sdk.XunitException($"{entry.Path}: no value this simulation knows how Render fills");
    }
}
