using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Architecture;

/// <summary>MicAi.Core's own source files (not bin/obj), each with the capability folder it sits in.</summary>
public static class CoreSources
{
    public static string Root { get; } = RepoFiles.PathOf("MicAi.Core");

    /// <summary>Every .cs file: path relative to MicAi.Core, its top folder ("" for the composition root), its text.</summary>
    public static IReadOnlyList<(string Path, string Folder, string Text)> Files { get; } =
        Directory.EnumerateFiles(Root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, f.Contains('/') ? f[..f.IndexOf('/')] : "", File.ReadAllText(Path.Combine(Root, f))))
            .ToArray();

    /// <summary>The capability folders (MicAi.Core/&lt;Folder&gt;/).</summary>
    public static IReadOnlyList<string> Folders { get; } = Files.Select(f => f.Folder).Where(f => f.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();
}
