using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace MicAi.Tests.Deployment.Support;

/// <summary>Finds the repository and reads its deployment files as plain YAML trees (maps, lists, strings).</summary>
public static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every bash script shipped to operators (bin/, with its lib/) or into the image.</summary>
    public static IEnumerable<string> Scripts() =>
        Directory.EnumerateFiles(PathOf("bin"), "*", SearchOption.AllDirectories)
            .Where(f => File.ReadLines(f).FirstOrDefault() is { } first && (first.StartsWith("#!") && first.Contains("bash") || f.EndsWith(".sh")))
            .Append(PathOf("docker/healthcheck"))
            .Order();

    /// <summary>Parses YAML with merge keys (<c>&lt;&lt;: *anchor</c>) resolved, as compose tools do.</summary>
    public static YamlNode LoadYaml(string relative) => ParseYaml(Read(relative), relative);

    /// <summary>The same parse over text; <paramref name="name"/> starts the paths assertions print.</summary>
    public static YamlNode ParseYaml(string text, string name)
    {
        using var reader = new StringReader(text);
        var tree = new DeserializerBuilder().Build().Deserialize<object>(new MergingParser(new Parser(reader)));
        return new YamlNode(tree, name);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MicAi.sln"))) return dir.FullName;
        throw new InvalidOperationException($"MicAi.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A node of a parsed YAML document with just enough navigation for assertions that name the path.</summary>
public sealed class YamlNode(object? value, string path)
{
    public object? Value { get; } = value;
    public string Path { get; } = path;

    public bool Has(string key) => Value is IDictionary<object, object> map && map.ContainsKey(key);

    public YamlNode this[string key] => Value is IDictionary<object, object> map && map.TryGetValue(key, out var v)
        ? new YamlNode(v, $"{Path}.{key}")
        : throw new Xunit.Sdk.XunitException($"{Path}.{key} is missing");

    public YamlNode? Get(string key) => Has(key) ? this[key] : null;

    public IEnumerable<string> Keys => Value is IDictionary<object, object> map ? map.Keys.Select(k => k.ToString()!) : [];

    public IReadOnlyList<YamlNode> Items => Value is IList<object> list
        ? list.Select((v, i) => new YamlNode(v, $"{Path}[{i}]")).ToList()
        : throw new Xunit.Sdk.XunitException($"{Path} is not a list");

    public string Text => Value switch
    {
        string s => s,
        null => throw new Xunit.Sdk.XunitException($"{Path} is empty"),
        _ => throw new Xunit.Sdk.XunitException($"{Path} is not a scalar"),
    };

    public override string ToString() => $"{Path} = {Value}";
}
