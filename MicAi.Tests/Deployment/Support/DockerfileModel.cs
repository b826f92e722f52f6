using System.Text.Json;
using System.Text.RegularExpressions;

namespace MicAi.Tests.Deployment.Support;

/// <summary>The instructions of the final (runtime) stage of the Dockerfile that the checks need.</summary>
public sealed partial record DockerfileModel(
    IReadOnlyList<string> BaseImages,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<string> Expose,
    string? User,
    string? HealthCheck,
    string Text)
{
    public static DockerfileModel Load() => Parse(RepoFiles.Read("Dockerfile"));

    /// <summary>The argv the container runs when started with <paramref name="command"/> (null: the image's CMD).</summary>
    public IReadOnlyList<string> Argv(IReadOnlyList<string>? command = null) => [.. Entrypoint, .. command ?? Cmd];

    public static DockerfileModel Parse(string text)
    {
        var lines = Joined(text).ToList();
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)).ToList();
        var runtime = lines.Skip(lines.LastIndexOf(froms[^1])).ToList(); // instructions of the last stage only

        string? Last(string instruction) => runtime.LastOrDefault(l => l.StartsWith(instruction + " ", StringComparison.OrdinalIgnoreCase))?[(instruction.Length + 1)..].Trim();

        var env = new Dictionary<string, string>();
        foreach (var line in runtime.Where(l => l.StartsWith("ENV ", StringComparison.OrdinalIgnoreCase)))
            foreach (Match m in EnvPair().Matches(line[4..]))
                env[m.Groups[1].Value] = m.Groups[2].Value;

        return new DockerfileModel(
            froms.Select(f => f.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList(),
            ExecForm(Last("ENTRYPOINT"), "ENTRYPOINT"),
            ExecForm(Last("CMD"), "CMD"),
            env,
            runtime.Where(l => l.StartsWith("EXPOSE ", StringComparison.OrdinalIgnoreCase)).SelectMany(l => l[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList(),
            Last("USER"),
            Last("HEALTHCHECK"),
            text);
    }

    /// <summary>Exec form only: a shell form would put /bin/sh between the platform and the Host's signals.</summary>
    private static IReadOnlyList<string> ExecForm(string? value, string instruction) =>
        value is not null && value.StartsWith('[')
            ? JsonSerializer.Deserialize<string[]>(value)!
            : throw new Xunit.Sdk.XunitException($"Dockerfile {instruction} must be in exec (JSON array) form, got: {value ?? "<none>"}");

    /// <summary>Instruction lines with comments dropped and backslash continuations joined.</summary>
    private static IEnumerable<string> Joined(string text)
    {
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0) continue;
            if (line.EndsWith('\\')) { current += line[..^1] + " "; continue; }
            yield return (current + line).Trim();
            current = "";
        }
    }

    [GeneratedRegex(@"(\w+)=(""[^""]*""|\S+)")]
    private static partial Regex EnvPair();
}
