namespace MicAi.Host;

/// <summary>Which parts of MicAi this process runs: one image, the command picks the role.</summary>
public sealed record HostRole(string Name, bool ServesHttp, bool RunsWorker, bool RunsScheduler, bool MigrateOnly)
{
    /// <summary><c>migrate --dry-run</c>: print what migrate would do and change nothing.</summary>
    public bool DryRun { get; init; }

    public static readonly IReadOnlyList<HostRole> All =
    [
        new("api", true, false, false, false),
        new("worker", false, true, false, false),
        new("scheduler", false, false, true, false),
        new("all", true, true, true, false),
        new("migrate", false, false, false, true),
    ];

    public static IEnumerable<string> Names => All.Select(r => r.Name);

    /// <summary>service.name micai-{role}; the roles that serve HTTP also serve GET /metrics.</summary>
    public Core.Telemetry.TelemetryRole Telemetry => new($"micai-{Name}", ServesMetrics: ServesHttp);

    /// <summary>
    /// The first argument that is not an option, else MICAI_ROLE (which defaults to api). A leading "dotnet MicAi.Host.dll" is
    /// skipped, so a platform that appends its start command to the image ENTRYPOINT starts the same role as one
    /// that replaces it.
    /// </summary>
    public static HostRole Parse(string[] args, string environmentRole)
    {
        var name = args.SkipWhile(IsLauncher).FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=')) ?? environmentRole;
        var role = All.FirstOrDefault(r => r.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
                   ?? throw new ArgumentException($"unknown role '{name}': use one of {string.Join(", ", Names)}");
        if (!args.Contains("--dry-run")) return role;
        return role.MigrateOnly ? role with { DryRun = true } : throw new ArgumentException("--dry-run is an option of the migrate role only");
    }

    private static bool IsLauncher(string arg) =>
        arg == "dotnet" || arg.EndsWith("MicAi.Host.dll", StringComparison.OrdinalIgnoreCase);
}
