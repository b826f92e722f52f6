using System.Text.RegularExpressions;

namespace MicAi.Tests.Architecture;

/// <summary>
/// MicAi.Core's capability folders form a one-way graph (docs/architecture.md draws it): no cycle, each folder only
/// above the folders it uses, nothing below the composition root reaching up to it.
/// </summary>
public sealed partial class FolderGraphTests
{
    // The layers of docs/architecture.md. A folder may use folders of its own layer or below (the middle layer's order
    // among itself is whatever keeps the graph acyclic); the top uses only what is below it; nothing uses the pages
    // (browser tools over everything: the console, the simulator).
    private static readonly string[] Bottom = ["Configuration", "Http", "Storage", "Telemetry", "WebUi", "WhatsApp"];
    private static readonly string[] Middle = ["Agents", "Inbox", "Media", "Operators", "Outbox", "Queue", "Scheduling"];
    private static readonly string[] Top = ["Admin", "Hosting"];
    private static readonly string[] Pages = ["Console", "Simulator"];

    private static readonly FolderGraph Graph = new(CoreSources.Files, CoreSources.Folders);

    [Fact]
    public void CoreFolderGraph_HasNoCycle()
    {
        var cycle = Graph.FindCycle();

        Assert.True(cycle is null, cycle is null ? "" :
            $"folder cycle {string.Join(" → ", cycle)}:\n" + string.Join("\n", cycle.Zip(cycle.Skip(1), Graph.Evidence)));
    }

    [Fact]
    public void EveryCoreFolder_HasALayer()
    {
        Assert.Equal(CoreSources.Folders.Order(StringComparer.Ordinal), Bottom.Concat(Middle).Concat(Top).Concat(Pages).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CoreFolders_UseOnlyTheirLayerOrTheOnesBelow()
    {
        int Layer(string folder) => Bottom.Contains(folder) ? 0 : Middle.Contains(folder) ? 1 : Top.Contains(folder) ? 2 : 3;
        var upward = Graph.Edges.SelectMany(e => e.Value.Keys.Select(to => (From: e.Key, To: to)))
            .Where(e => Layer(e.To) > Layer(e.From) || (Layer(e.To) == 2 && Layer(e.From) == 2) || Layer(e.To) == 3)
            .Select(e => Graph.Evidence(e.From, e.To)).ToList();

        Assert.True(upward.Count == 0, "folders reaching up:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void CoreFolders_NeverReferenceTheCompositionRoot()
    {
        var rootTypes = CoreSources.Files.Where(f => f.Folder.Length == 0)
            .SelectMany(f => Declaration().Matches(FolderGraph.CodeAndCrefs(f.Text)).Select(m => m.Groups[1].Value)).ToArray();
        Assert.NotEmpty(rootTypes);
        var uses = new Regex($@"\b({string.Join('|', rootTypes)})\b");

        var offenders = CoreSources.Files.Where(f => f.Folder.Length > 0 && uses.IsMatch(FolderGraph.CodeAndCrefs(f.Text))).Select(f => f.Path).ToList();

        Assert.True(offenders.Count == 0, $"the composition root ({string.Join(", ", rootTypes)}) is referenced from: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void FolderGraph_SeesUsingsAndQualifiedReferences_NotCommentWords()
    {
        var graph = new FolderGraph(
        [
            ("Outbox/A.cs", "Outbox", "using MicAi.Core.Queue;\nnamespace MicAi.Core.Outbox;"),
            ("Outbox/B.cs", "Outbox", "namespace MicAi.Core.Outbox;\nclass B(Configuration.MicAiSettings s) { object x = MicAi.Core.Storage.Databases.Direct; }"),
            ("Queue/C.cs", "Queue", "using static MicAi.Core.Inbox.InboundStatus;\nnamespace MicAi.Core.Queue;\n// see Outbox.OutboundLedger for how sends go\n/// <see cref=\"Admin.AdminApi\"/>"),
            ("Inbox/D.cs", "Inbox", "namespace MicAi.Core.Inbox;\nusing System.Configuration; var p = Path.Combine(Environment.CurrentDirectory, \"x\");"),
        ], ["Admin", "Configuration", "Inbox", "Outbox", "Queue", "Storage"]);

        Assert.Equal(["Configuration", "Queue", "Storage"], graph.DependenciesOf("Outbox"));
        Assert.Equal(["Admin", "Inbox"], graph.DependenciesOf("Queue")); // the cref counts, the comment's words do not
        Assert.Empty(graph.DependenciesOf("Inbox"));
        Assert.Null(graph.FindCycle());
    }

    [Fact]
    public void FolderGraph_FindsACycle_AndNamesIt()
    {
        var graph = new FolderGraph(
        [
            ("Admin/A.cs", "Admin", "using MicAi.Core.Agents;"),
            ("Agents/B.cs", "Agents", "using MicAi.Core.Http;"),
            ("Http/C.cs", "Http", "namespace MicAi.Core.Http; class C { Admin.AdminApi api; }"),
        ], ["Admin", "Agents", "Http"]);

        Assert.Equal(["Admin", "Agents", "Http", "Admin"], graph.FindCycle());
    }

    [GeneratedRegex(@"\b(?:class|record|interface|enum|delegate\s+\w+)\s+(\w+)")]
    private static partial Regex Declaration();
}
