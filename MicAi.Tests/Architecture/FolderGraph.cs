using System.Text.RegularExpressions;

namespace MicAi.Tests.Architecture;

/// <summary>
/// Which Core folder depends on which, read from the sources as a reader would: <c>using MicAi.Core.X</c> (static, alias
/// and global too), fully qualified <c>MicAi.Core.X.Type</c>, and <c>X.Type</c> qualified from inside MicAi.Core (where
/// the compiler resolves <c>Configuration.MicAiSettings</c> without a using). Code and <c>cref</c>s count; the words of
/// a comment do not.
/// </summary>
public sealed partial class FolderGraph
{
    private readonly Dictionary<string, SortedDictionary<string, SortedSet<string>>> edges = new(StringComparer.Ordinal);

    public FolderGraph(IEnumerable<(string Path, string Folder, string Text)> files, IReadOnlyCollection<string> folders)
    {
        var qualified = new Regex($@"(?<![\w.])({string.Join('|', folders.Select(Regex.Escape))})\.[A-Z]");
        foreach (var (path, folder, text) in files)
        {
            if (folder.Length == 0) continue; // the composition root references every folder by design
            var code = CodeAndCrefs(text);
            var targets = FullyQualified().Matches(code).Select(m => m.Groups[1].Value)
                .Concat(qualified.Matches(code).Select(m => m.Groups[1].Value));
            foreach (var target in targets.Where(t => t != folder && folders.Contains(t)))
                Add(folder, target, path);
        }
    }

    /// <summary>Folder → the folders it references → the files that do.</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, SortedSet<string>>> Edges => edges;

    public IEnumerable<string> DependenciesOf(string folder) => edges.TryGetValue(folder, out var to) ? to.Keys : [];

    /// <summary>A cycle as the list of folders along it (first = last), or null when the graph has none.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the current path, 2 = done
        var path = new List<string>();
        foreach (var start in edges.Keys.Order(StringComparer.Ordinal))
            if (Visit(start) is { } cycle) return cycle;
        return null;

        List<string>? Visit(string node)
        {
            if (state.GetValueOrDefault(node) == 2) return null;
            if (state.GetValueOrDefault(node) == 1) return [.. path[path.IndexOf(node)..], node];
            state[node] = 1;
            path.Add(node);
            foreach (var next in DependenciesOf(node))
                if (Visit(next) is { } cycle) return cycle;
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    /// <summary>Why <paramref name="from"/> depends on <paramref name="to"/>: the files that reference it.</summary>
    public string Evidence(string from, string to) => $"{from} → {to} ({string.Join(", ", edges[from][to])})";

    private void Add(string from, string to, string path)
    {
        if (!edges.TryGetValue(from, out var targets)) edges[from] = targets = new(StringComparer.Ordinal);
        if (!targets.TryGetValue(to, out var files)) targets[to] = files = new(StringComparer.Ordinal);
        files.Add(path);
    }

    /// <summary>Each line's code, plus the cref targets of its comment (references the compiler checks).</summary>
    public static string CodeAndCrefs(string text) => string.Join('\n', text.Split('\n').Select(line =>
    {
        var comment = line.IndexOf("//", StringComparison.Ordinal);
        if (comment < 0) return line;
        var crefs = Cref().Matches(line[comment..]).Select(m => m.Groups[1].Value);
        return line[..comment] + " " + string.Join(' ', crefs);
    }));

    [GeneratedRegex(@"\bMicAi\.Core\.(\w+)")]
    private static partial Regex FullyQualified();

    [GeneratedRegex(@"cref=""([^""]+)""")]
    private static partial Regex Cref();
}
