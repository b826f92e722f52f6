namespace MicAi.Host;

/// <summary>Which parts of MicAi this process runs: one image, the command picks the role.</summary>
public sealed record HostRole(string Name, bool ServesHttp, bool RunsWorker, bool RunsScheduler, bool MigrateOnly)
{
    public static readonly IReadOnlyList<HostRole> All =
    [
        new("api", true, false, false, false),
        new("worker", false, true, false, false),
        new("scheduler", false, false, true, false),
        new("all", true, true, true, false),
        new("migrate", false, false, false, true),
    ];

    public static IEnumerable<string> Names => All.Select(r => r.Name);

    /// <summary>The first argument that is not an option, else MICAI_ROLE, else api.</summary>
    public static HostRole Parse(string[] args, string? environmentRole)
    {
        var name = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=')) ?? environmentRole ?? "api";
        return All.FirstOrDefault(r => r.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
               ?? throw new ArgumentException($"unknown role '{name}': use one of {string.Join(", ", Names)}");
    }
}
