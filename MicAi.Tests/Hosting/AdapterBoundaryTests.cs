using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using MicAi.Tests.Deployment.Support;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Hosting;

/// <summary>
/// The adapters hold no policy: MicAi.Host loops Core's passes and MicAi.Functions runs them on timers, so neither
/// references Redis's or Postgres's client, nor names a key, a statement or a state. Whatever they would need of
/// those is a Core capability.
/// </summary>
public sealed partial class AdapterBoundaryTests
{
    public static TheoryData<string> Adapters() => new("MicAi.Host", "MicAi.Functions");

    private static string AssemblyPath(string adapter) => adapter == "MicAi.Host"
        ? typeof(Program).Assembly.Location
        : Path.Combine(TestServers.Required("MICAI_TEST_FUNCTIONS_DIR"), "MicAi.Functions.dll");

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Adapter_ReferencesNeitherTheRedisNorThePostgresClient(string adapter)
    {
        using var pe = new PEReader(File.OpenRead(AssemblyPath(adapter)));
        var metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name)).ToList();

        Assert.Contains("MicAi.Core", references); // the check reads real references
        Assert.DoesNotContain("StackExchange.Redis", references);
        Assert.DoesNotContain("Npgsql", references);
    }

    [Theory]
    [MemberData(nameof(Adapters))]
    public void AdapterSources_NameNoClientStatementKeyOrState(string adapter)
    {
        var sources = Directory.EnumerateFiles(RepoFiles.PathOf(adapter), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.NotEmpty(sources);

        var found = sources.SelectMany(f => Forbidden().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}")).ToList();

        Assert.True(found.Count == 0, $"{adapter} knows what belongs to Core:\n{string.Join('\n', found)}");
    }

    [Theory]
    [InlineData("catch (StackExchange.Redis.RedisException) { }")]
    [InlineData("using Npgsql;")]
    [InlineData("db.CreateCommand(\"SELECT 1\")")]
    [InlineData("await db.StringGetAsync(\"{micai}:scheduler:lease\")")]
    [InlineData("if (row.Status == \"sending\") return;")]
    public void Forbidden_CatchesEachKind(string line) => Assert.Matches(Forbidden(), line);

    // Clients and their exceptions; SQL statements; MicAi's Redis key names; outbound, inbound and job states.
    [GeneratedRegex("""
        StackExchange\.Redis|Npgsql|Redis\w*Exception|Postgres\w*Exception|IConnectionMultiplexer
        |\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b
        |"[^"\n]*\}?:(jobs|heartbeats|scheduler|outbound|rate|swept|legacy)\b[^"\n]*"
        |"(pending|sending|sent|retrying|delivered|read|failed|suppressed|skipped|unknown|received|queued|processed|ignored)"
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Forbidden();
}
