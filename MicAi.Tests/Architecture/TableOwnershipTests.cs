using System.Text.RegularExpressions;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Architecture;

/// <summary>
/// One store per table: every statement that writes a table sits in that table's store, and a table is read elsewhere
/// only where one round trip joins it on purpose (listed below, each with its reason).
/// </summary>
public sealed partial class TableOwnershipTests
{
    // Table → its store (a file, or the files of one partial class: the path prefix).
    private static readonly Dictionary<string, string> Stores = new(StringComparer.Ordinal)
    {
        ["agents"] = "Agents/AgentStore.cs",
        ["agent_rules"] = "Agents/RuleStore.cs",
        ["contacts"] = "Agents/ContactStore.cs",
        ["conversation_turns"] = "Agents/ConversationStore", // ConversationStore.cs, …Load.cs and …Answers.cs
        ["llm_usage"] = "Agents/Llm/LlmUsageStore.cs",
        ["inbound_messages"] = "Inbox/InboundStore", // InboundStore.cs and InboundStoreInsert.cs
        ["handovers"] = "Inbox/HandoverStore.cs",
        ["outbound_messages"] = "Outbox/OutboundLedger",
        ["runtime_flags"] = "Outbox/RuntimeFlagStore.cs",
        ["dead_jobs"] = "Queue/DeadJobStore.cs",
        ["media"] = "Media/MediaStore.cs",
        ["media_content"] = "Media/MediaContent.cs", // PostgresMediaContent, the default home of media bytes
        ["schedules"] = "Scheduling/ScheduleStore",
        ["schedule_runs"] = "Scheduling/ScheduleStore",
        ["schemaversions"] = "Storage/Migrator.cs", // DbUp's journal
    };

    // Reads outside the owner, each one a join that saves a round trip.
    private static readonly (string Table, string File)[] JoinedReads =
    [
        ("inbound_messages", "Agents/ConversationStoreLoad.cs"), // the answer's one read (answer_context): message, contact, agent, rules' version
        ("contacts", "Agents/ConversationStoreLoad.cs"),
        ("agents", "Agents/ConversationStoreLoad.cs"),
        ("agents", "Agents/RuleStore.cs"),                   // an agent's rules with the version they were read at
        ("inbound_messages", "Agents/ContactStore.cs"),       // a contact is touched from the message it sent; its newest message
        ("outbound_messages", "Agents/ContactStore.cs"),      // the conversation list: newest message, handover, in one query
        ("handovers", "Agents/ContactStore.cs"),
        ("contacts", "Outbox/OutboundLedger.cs"),            // the send gates: the contact's window and opt-out
        ("dead_jobs", "Inbox/InboundStore.cs"),              // the sweeper leaves rows whose job is a dead job
        ("dead_jobs", "Outbox/OutboundLedgerUpkeep.cs"),
        ("handovers", "Agents/ConversationStoreLoad.cs"),      // the answer's one read: is a person answering this contact?
        ("outbound_messages", "Inbox/HandoverStore.cs"),     // a waiting handover: no operator message since it started
        ("outbound_messages", "Inbox/InboundStore.cs"),      // unanswered: no message to the contact after it
        ("inbound_messages", "Operators/TimelineStore.cs"),  // the timeline: both tables in one query, one index scan each
        ("outbound_messages", "Operators/TimelineStore.cs"),
    ];

    private static IEnumerable<(string Path, string Table, bool Writes)> Statements() =>
        CoreSources.Files.Select(f => (f.Path, Code: FolderGraph.CodeAndCrefs(f.Text))).SelectMany(f => TablesIn(f.Code)
            // A SQL function's or procedure's statements count as the statements of every file that calls it (0070, 0071).
            .Concat(SqlFunctions.Value.Where(fn => f.Code.Contains(fn.Name + "(", StringComparison.Ordinal)).SelectMany(fn => fn.Statements))
            .Select(st => (f.Path, st.Table, st.Writes)))
            .Where(s => Stores.ContainsKey(s.Table));

    private static IEnumerable<(string Table, bool Writes)> TablesIn(string sql) =>
        Sql().Matches(sql).Select(m => (m.Groups["table"].Value, m.Groups["verb"].Value != "FROM" && m.Groups["verb"].Value != "JOIN"));

    /// <summary>The functions the migrations define, with the statements of their bodies (read once).</summary>
    private static readonly Lazy<(string Name, (string Table, bool Writes)[] Statements)[]> SqlFunctions = new(() =>
        [.. Directory.EnumerateFiles(RepoFiles.PathOf("MicAi.Core/Storage/Migrations"), "*.sql")
            .SelectMany(f => CreateFunction().Matches(File.ReadAllText(f)))
            .Select(m => (m.Groups["name"].Value, TablesIn(m.Groups["body"].Value).ToArray()))]);

    [Fact]
    public void EveryTable_InTheMigrations_HasAStore()
    {
        var tables = Directory.EnumerateFiles(RepoFiles.PathOf("MicAi.Core/Storage/Migrations"), "*.sql")
            .SelectMany(f => CreateTable().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value));

        Assert.Equal(tables.Append("schemaversions").Order(StringComparer.Ordinal), Stores.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryTable_IsWrittenOnlyByItsStore()
    {
        var strays = Statements().Where(s => s.Writes && !s.Path.StartsWith(Stores[s.Table], StringComparison.Ordinal))
            .Select(s => $"{s.Path} writes {s.Table} (its store: {Stores[s.Table]})").Distinct().ToList();

        Assert.True(strays.Count == 0, string.Join("\n", strays));
    }

    [Fact]
    public void Tables_AreReadOutsideTheirStore_OnlyInTheDeclaredJoins()
    {
        var strays = Statements().Where(s => !s.Writes && !s.Path.StartsWith(Stores[s.Table], StringComparison.Ordinal) && !JoinedReads.Contains((s.Table, s.Path)))
            .Select(s => $"{s.Path} reads {s.Table} (its store: {Stores[s.Table]})").Distinct().ToList();

        Assert.True(strays.Count == 0, string.Join("\n", strays));
        Assert.All(JoinedReads, r => Assert.Contains(Statements(), s => s.Path == r.File && s.Table == r.Table)); // none stale
    }

    [GeneratedRegex(@"\b(?<verb>INSERT INTO|UPDATE|DELETE FROM|FROM|JOIN)\s+(?<table>[a-z_]+)\b")]
    private static partial Regex Sql();

    [GeneratedRegex(@"CREATE (?:OR REPLACE )?(?:FUNCTION|PROCEDURE) (?<name>\w+)\(.*?\$\$(?<body>.*?)\$\$", RegexOptions.Singleline)]
    private static partial Regex CreateFunction();

    [GeneratedRegex(@"CREATE TABLE (\w+)")]
    private static partial Regex CreateTable();
}
