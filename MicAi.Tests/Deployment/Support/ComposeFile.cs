using System.Text.RegularExpressions;

namespace MicAi.Tests.Deployment.Support;

/// <summary>compose.yml with merge keys resolved and ${VAR:-default} read as its default.</summary>
public sealed partial class ComposeFile(YamlNode root)
{
    public static ComposeFile Load() => new(RepoFiles.LoadYaml("compose.yml"));

    public YamlNode Root { get; } = root;

    public YamlNode Service(string name) => Root["services"][name];

    /// <summary>Services built from this repository's Dockerfile, i.e. the ones running MicAi.</summary>
    public IReadOnlyList<(string Name, YamlNode Node)> AppServices =>
        Root["services"].Keys.Select(k => (k, Service(k))).Where(s => s.Item2.Has("build")).ToList();

    public static IReadOnlyDictionary<string, string> EnvOf(YamlNode service) =>
        service.Get("environment") is { } env
            ? env.Keys.ToDictionary(k => k, k => Interpolate(env[k].Text))
            : new Dictionary<string, string>();

    public static IReadOnlyList<string> Command(YamlNode service) => service["command"].Items.Select(i => i.Text).ToList();

    /// <summary>What an unset shell gives: ${X:-default} → default, ${X} → "".</summary>
    public static string Interpolate(string value) => Variable().Replace(value, m => m.Groups[2].Value);

    [GeneratedRegex(@"\$\{(\w+)(?::-([^}]*))?\}")]
    private static partial Regex Variable();
}
