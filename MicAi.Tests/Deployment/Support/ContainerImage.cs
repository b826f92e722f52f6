using System.Text.Json;

namespace MicAi.Tests.Deployment.Support;

/// <summary>
/// The image bin/test built from the Dockerfile (bin/lib/container.sh): its root file system, mounted as a
/// container's, and its config as <c>podman image inspect</c> reports it. Nothing here is read from the Dockerfile:
/// what runs is what the build produced.
/// </summary>
public sealed record ContainerImage(
    string Name,
    string Root,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    string WorkingDir,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    string User,
    IReadOnlyList<string>? HealthcheckTest)
{
    private static readonly Lazy<ContainerImage> Built = new(Load);

    /// <summary>The image of this run; a missing one fails the test with what to do, never skips it.</summary>
    public static ContainerImage Current => Built.Value;

    /// <summary>The argv a container runs when started with <paramref name="command"/> (null: the image's CMD).</summary>
    public IReadOnlyList<string> Argv(IReadOnlyList<string>? command = null) => [.. Entrypoint, .. command ?? Cmd];

    /// <summary>
    /// A container's environment as an engine builds it: the image's ENV, then the run's variables (a null value
    /// unsets one), then HOME from the user's passwd entry when neither gave it.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(IReadOnlyDictionary<string, string?> run)
    {
        var env = Env.ToDictionary(p => p.Key, p => p.Value);
        foreach (var (key, value) in run)
            if (value is null) env.Remove(key); else env[key] = value;
        env.TryAdd("HOME", ResolveUser().Home);
        return env;
    }

    /// <summary>USER (<c>name|uid[:group|gid]</c>) resolved against the image's /etc/passwd and /etc/group, as engines do.</summary>
    public ContainerUser ResolveUser()
    {
        var parts = User.Split(':', 2);
        var name = parts[0].Length == 0 ? "0" : parts[0];
        var passwd = Entries("etc/passwd").FirstOrDefault(e => e[0] == name || e[2] == name);
        var uid = passwd is not null ? int.Parse(passwd[2]) : Numeric(name, "user");
        var gid = passwd is not null ? int.Parse(passwd[3]) : 0;
        if (parts.Length == 2)
            gid = Entries("etc/group").FirstOrDefault(e => e[0] == parts[1] || e[2] == parts[1]) is { } group ? int.Parse(group[2]) : Numeric(parts[1], "group");
        return new ContainerUser(uid, gid, passwd?[5] ?? "/");
    }

    /// <summary>The HEALTHCHECK as the argv an engine execs in the container (CMD-SHELL through /bin/sh -c).</summary>
    public IReadOnlyList<string> HealthcheckArgv() => HealthcheckTest switch
    {
        ["CMD", _, ..] test => test.Skip(1).ToList(),
        ["CMD-SHELL", var shell] => ["/bin/sh", "-c", shell],
        _ => throw new Xunit.Sdk.XunitException($"{Name} has no HEALTHCHECK command in its config: [{string.Join(", ", HealthcheckTest ?? [])}]"),
    };

    private IEnumerable<string[]> Entries(string file) =>
        File.ReadLines(Path.Combine(Root, file)).Select(l => l.Split(':')).Where(e => e.Length >= 3);

    private int Numeric(string value, string what) =>
        int.TryParse(value, out var id) ? id : throw new Xunit.Sdk.XunitException($"{Name}: {what} '{value}' is not in the image");

    private static ContainerImage Load()
    {
        var root = Required("MICAI_TEST_IMAGE_ROOT");
        var configPath = Required("MICAI_TEST_IMAGE_CONFIG");
        using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
        var image = doc.RootElement[0];
        var config = image.GetProperty("Config");
        // Docker keeps the healthcheck in Config; podman reports it beside Config.
        var health = config.TryGetProperty("Healthcheck", out var h) ? h : image.TryGetProperty("Healthcheck", out h) ? h : default;

        return new ContainerImage(
            Name: System.Environment.GetEnvironmentVariable("MICAI_TEST_IMAGE") ?? "the image",
            Root: root,
            Entrypoint: Strings(config, "Entrypoint"),
            Cmd: Strings(config, "Cmd"),
            WorkingDir: config.TryGetProperty("WorkingDir", out var wd) && wd.GetString() is { Length: > 0 } dir ? dir : "/",
            Env: Strings(config, "Env").Select(e => e.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p.Length > 1 ? p[1] : "")).ToList(),
            User: config.TryGetProperty("User", out var user) ? user.GetString() ?? "" : "",
            HealthcheckTest: health.ValueKind == JsonValueKind.Object ? Strings(health, "Test") : null);
    }

    private static List<string> Strings(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.GetString()!).ToList()
            : [];

    private static string Required(string name) =>
        System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new Xunit.Sdk.XunitException($"{name} is not set: run the tests through bin/test, which builds and mounts the image.");
}

/// <summary>The uid, gid and home directory a container's processes run with.</summary>
public sealed record ContainerUser(int Uid, int Gid, string Home);
