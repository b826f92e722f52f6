namespace MicAi.Tests.Deployment.Support;

/// <summary>A render.yaml Blueprint, with each service's variables resolved through its env groups.</summary>
public sealed class RenderBlueprint(YamlNode root)
{
    public static RenderBlueprint Load(string file) => new(RepoFiles.LoadYaml(file));

    public YamlNode Root { get; } = root;

    public IReadOnlyList<YamlNode> Services => Root["services"].Items;

    /// <summary>Services that run the MicAi image (web, worker, private service with the docker runtime).</summary>
    public IReadOnlyList<YamlNode> AppServices => Services.Where(s => s.Get("runtime")?.Text == "docker").ToList();

    public YamlNode Service(string name) => Services.Single(s => s["name"].Text == name);

    public IReadOnlyList<YamlNode> Groups => Root.Get("envVarGroups")?.Items ?? [];

    public IReadOnlyList<YamlNode> Databases => Root.Get("databases")?.Items ?? [];

    /// <summary>Every variable a service receives: its own envVars plus the vars of each fromGroup, key → entry.</summary>
    public IReadOnlyDictionary<string, YamlNode> EnvOf(YamlNode service)
    {
        var env = new Dictionary<string, YamlNode>();
        foreach (var entry in service.Get("envVars")?.Items ?? [])
        {
            if (entry.Get("fromGroup") is { } group)
            {
                var declared = Groups.SingleOrDefault(g => g["name"].Text == group.Text)
                    ?? throw new Xunit.Sdk.XunitException($"{entry.Path}: group '{group.Text}' is not declared in envVarGroups");
                foreach (var v in declared["envVars"].Items) env[v["key"].Text] = v;
            }
            else
            {
                env[entry["key"].Text] = entry;
            }
        }
        return env;
    }

    /// <summary>
    /// The value Render would put in the variable, with stand-ins for what only Render or the operator knows:
    /// a Render Postgres internal URL, a Key Value internal URL, a generated secret, an operator-typed value.
    /// </summary>
    public string Simulate(string key, YamlNode entry)
    {
        if (entry.Get("value") is { } value) return value.Text;
        if (entry.Get("generateValue") is { } gen && gen.Text == "true") return Convert.ToHexString(Guid.NewGuid().ToByteArray());
        if (entry.Get("sync") is { } sync && sync.Text == "false") return $"operator-typed-{key.ToLowerInvariant()}";
        if (entry.Get("fromDatabase") is { } db)
        {
            Assert.Contains(Databases, d => d["name"].Text == db["name"].Text);
            Assert.Equal("connectionString", db["property"].Text);
            return "postgresql://micai:pw@dpg-render-a/micai";
        }
        if (entry.Get("fromService") is { } svc)
        {
            var target = Services.SingleOrDefault(s => s["name"].Text == svc["name"].Text)
                ?? throw new Xunit.Sdk.XunitException($"{svc.Path}: no service named '{svc["name"].Text}'");
            Assert.Equal(target["type"].Text, svc["type"].Text);
            Assert.Equal("connectionString", svc["property"].Text);
            return "redis://red-render:6379";
        }
        throw new Xunit.Sdk.XunitException($"{entry.Path}: no value, generateValue, sync: false, fromDatabase or fromService");
    }
}
