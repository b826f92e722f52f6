using System.Text.RegularExpressions;
using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Scheduling;
using MicAi.Core.Storage;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Architecture;

/// <summary>
/// States are types: each state column's CHECK constraint in the migrations lists exactly its enum's values, and no
/// statement spells a state as a bare SQL literal (the literals come from the enum, DbEnum.Sql).
/// </summary>
public sealed partial class StateTypeTests
{
    private static readonly string Migrations = string.Join('\n',
        Directory.EnumerateFiles(RepoFiles.PathOf("MicAi.Core/Storage/Migrations"), "*.sql").Order().Select(File.ReadAllText));

    public static TheoryData<string, string, string[]> StateColumns() => new()
    {
        { "outbound_messages", "status", [.. DbEnum<OutboundStatus>.All] },
        { "inbound_messages", "status", [.. DbEnum<InboundStatus>.All] },
        { "schedules", "origin", [.. DbEnum<ScheduleOrigin>.All] },
        { "handovers", "reason", [.. DbEnum<HandoverReason>.All] },
        { "media", "status", [.. DbEnum<MicAi.Core.Media.MediaStatus>.All] },
    };

    [Theory]
    [MemberData(nameof(StateColumns))]
    public void StateEnum_ListsExactlyTheValuesOfItsColumnsCheckConstraint(string table, string column, string[] values)
    {
        // The column's CHECK, in its CREATE TABLE or in a later ALTER TABLE … ADD COLUMN or ADD CONSTRAINT: the last one
        // in migration order is the one in force.
        var check = new Regex($@"(?:CREATE TABLE {table} \((?:(?!\);).)*?|ALTER TABLE {table} ADD COLUMN |ALTER TABLE {table} ADD CONSTRAINT \w+\s+)\b{column}\b[^;]*?CHECK \({column} IN \(([^)]*)\)|ALTER TABLE {table} ADD CONSTRAINT \w+\s+CHECK \({column} IN \(([^)]*)\)",
            RegexOptions.Singleline).Matches(Migrations).LastOrDefault() ?? Match.Empty;
        Assert.True(check.Success, $"no CHECK ({column} IN (…)) for {table}.{column} in the migrations");

        var allowed = Regex.Matches(check.Groups[1].Success ? check.Groups[1].Value : check.Groups[2].Value, "'([a-z_]+)'").Select(m => m.Groups[1].Value);

        Assert.Equal(allowed.Order(StringComparer.Ordinal), values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Statements_NeverSpellAStateAsABareLiteral()
    {
        var names = DbEnum<OutboundStatus>.All.Concat(DbEnum<InboundStatus>.All).Concat(DbEnum<ScheduleOrigin>.All).Concat(DbEnum<HandoverReason>.All)
            .Concat(DbEnum<MicAi.Core.Media.MediaStatus>.All).Distinct();
        var literal = new Regex($"'({string.Join('|', names)})'");

        var found = CoreSources.Files.SelectMany(f => literal.Matches(FolderGraph.CodeAndCrefs(f.Text)).Select(m => $"{f.Path}: {m.Value}")).ToList();

        Assert.True(found.Count == 0, "state literals in SQL (use DbEnum<T>.Sql or a parameter):\n" + string.Join("\n", found));
    }

    [Fact]
    public void DbEnum_RoundTripsEveryValue_AndRefusesOthers()
    {
        Assert.All(Enum.GetValues<OutboundStatus>(), s => Assert.Equal(s, DbEnum<OutboundStatus>.Parse(s.ToDb())));
        Assert.Equal("'pending', 'retrying'", DbEnum<OutboundStatus>.Sql(OutboundStatus.Pending, OutboundStatus.Retrying));
        Assert.False(DbEnum<InboundStatus>.TryParse("Received", out _)); // the column text only, exactly
        Assert.Throws<FormatException>(() => DbEnum<OutboundStatus>.Parse("lost"));
    }
}
