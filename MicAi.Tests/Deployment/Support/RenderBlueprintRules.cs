namespace MicAi.Tests.Deployment.Support;

/// <summary>
/// The rules of Render's Blueprint spec (render.com/docs/blueprint-spec) that MicAi's Blueprints rely on, as a list of
/// violations. Render itself does not reject all of these: a <c>sync: false</c> inside a group is silently ignored,
/// which is how a prod deploy ended up without its Meta values. So they are checked here, before an operator applies.
/// </summary>
public static class RenderBlueprintRules
{
    private static readonly string[] Sources = ["value", "generateValue", "sync", "fromDatabase", "fromService", "fromGroup"];

    /// <summary>Properties the spec documents for fromDatabase (Render Postgres).</summary>
    private static readonly HashSet<string> DatabaseProperties = ["connectionString", "user", "password", "database"];

    /// <summary>Properties the spec documents for fromService, by the referenced service's type.</summary>
    private static readonly Dictionary<string, HashSet<string>> ServiceProperties = new()
    {
        ["web"] = ["host", "port", "hostport"],
        ["pserv"] = ["host", "port", "hostport"],
        ["keyvalue"] = ["connectionString", "host", "port"],
    };

    public static IReadOnlyList<string> Violations(RenderBlueprint blueprint)
    {
        var problems = new List<string>();
        foreach (var group in blueprint.Groups)
            foreach (var entry in group["envVars"].Items)
                CheckGroupEntry(entry, problems);
        foreach (var service in blueprint.Services)
        {
            foreach (var entry in RenderBlueprint.OwnEntries(service))
                CheckServiceEntry(blueprint, entry, problems);
            CheckNoKeyInTwoPlaces(blueprint, service, problems);
            if (service.Get("previews")?.Get("generation") is { } generation)
                problems.Add($"{generation.Path}: previews do not get `sync: false` values, so a prod preview could not start");
        }
        if (blueprint.Root.Get("previews")?.Get("generation") is { } rootPreviews && rootPreviews.Text != "off")
            problems.Add($"{rootPreviews.Path}: preview environments do not get `sync: false` values");
        CheckEachPromptOnce(blueprint, problems);
        return problems;
    }

    /// <summary>Exactly one source per entry: Render refuses "value and sync" together, and a group has no key.</summary>
    private static string? SourceOf(YamlNode entry, List<string> problems)
    {
        var sources = Sources.Where(entry.Has).ToList();
        if (sources.Count != 1)
        {
            problems.Add($"{entry.Path}: needs exactly one of {string.Join(", ", Sources)}; has {string.Join(", ", sources)}");
            return null;
        }
        if (sources[0] != "fromGroup" && entry.Get("key") is null) problems.Add($"{entry.Path}: has no key");
        if (sources[0] == "sync" && entry["sync"].Text != "false") problems.Add($"{entry.Path}: sync may only be false");
        if (sources[0] == "generateValue" && entry["generateValue"].Text != "true") problems.Add($"{entry.Path}: generateValue may only be true");
        return sources[0];
    }

    /// <summary>"An environment group can't reference values … You can't define … sync: false in an environment group."</summary>
    private static void CheckGroupEntry(YamlNode entry, List<string> problems)
    {
        var source = SourceOf(entry, problems);
        if (source is not null and not "value" and not "generateValue")
            problems.Add($"{entry.Path}: a group holds only value or generateValue, not {source} (Render ignores or rejects it)");
    }

    private static void CheckServiceEntry(RenderBlueprint blueprint, YamlNode entry, List<string> problems)
    {
        switch (SourceOf(entry, problems))
        {
            case "fromGroup" when blueprint.Groups.All(g => g["name"].Text != entry["fromGroup"].Text):
                problems.Add($"{entry.Path}: no envVarGroups entry named '{entry["fromGroup"].Text}'");
                break;
            case "fromDatabase":
                var db = entry["fromDatabase"];
                if (blueprint.Databases.All(d => d["name"].Text != db.Get("name")?.Text))
                    problems.Add($"{db.Path}: no database named '{db.Get("name")?.Text}' in this file");
                if (!DatabaseProperties.Contains(db.Get("property")?.Text ?? ""))
                    problems.Add($"{db.Path}: property must be one of {string.Join(", ", DatabaseProperties)}");
                break;
            case "fromService":
                CheckServiceReference(blueprint, entry["fromService"], problems);
                break;
        }
    }

    private static void CheckServiceReference(RenderBlueprint blueprint, YamlNode reference, List<string> problems)
    {
        var target = blueprint.Services.SingleOrDefault(s => s["name"].Text == reference.Get("name")?.Text);
        if (target is null) { problems.Add($"{reference.Path}: no service named '{reference.Get("name")?.Text}' in this file"); return; }
        var type = target["type"].Text;
        if (reference.Get("type")?.Text != type) problems.Add($"{reference.Path}: type must be the referenced service's, {type}");
        var property = reference.Get("property")?.Text;
        var envVarKey = reference.Get("envVarKey")?.Text;
        if ((property is null) == (envVarKey is null)) { problems.Add($"{reference.Path}: needs exactly one of property, envVarKey"); return; }
        if (property is not null && !(ServiceProperties.TryGetValue(type, out var allowed) && allowed.Contains(property)))
            problems.Add($"{reference.Path}: a {type} service has no property '{property}'");
        if (envVarKey is not null && !RenderBlueprint.OwnEntries(target).Any(e => e.Get("key")?.Text == envVarKey))
            problems.Add($"{reference.Path}: {target["name"].Text} does not declare {envVarKey} itself");
    }

    /// <summary>A key both on a service and in a group it links is two values for one name: keep one.</summary>
    private static void CheckNoKeyInTwoPlaces(RenderBlueprint blueprint, YamlNode service, List<string> problems)
    {
        var own = RenderBlueprint.OwnEntries(service).Where(e => e.Has("key")).Select(e => e["key"].Text).ToHashSet();
        foreach (var link in RenderBlueprint.OwnEntries(service).Where(e => e.Has("fromGroup")))
            foreach (var v in blueprint.Groups.Where(g => g["name"].Text == link["fromGroup"].Text).SelectMany(g => g["envVars"].Items))
                if (own.Contains(v["key"].Text)) problems.Add($"{service.Path}: {v["key"].Text} is set on the service and in {link["fromGroup"].Text}");
    }

    /// <summary>Each value an operator types is asked for once (one <c>sync: false</c>); other services reference it.</summary>
    private static void CheckEachPromptOnce(RenderBlueprint blueprint, List<string> problems)
    {
        var prompts = blueprint.Services.SelectMany(RenderBlueprint.OwnEntries)
            .Where(e => e.Get("sync")?.Text == "false" && e.Has("key")).GroupBy(e => e["key"].Text);
        foreach (var prompt in prompts.Where(p => p.Count() > 1))
            problems.Add($"{prompt.Key} is prompted {prompt.Count()} times ({string.Join(", ", prompt.Select(e => e.Path))}); prompt once and use fromService envVarKey");
    }
}
