namespace MicAi.Tests.Architecture;

/// <summary>Small files with one concern: no production source file (Core, Host, Functions) over 300 lines.</summary>
public sealed class FileSizeTests
{
    private const int MaxLines = 300;

    [Fact]
    public void NoProductionFile_IsOver300Lines()
    {
        var root = Deployment.Support.RepoFiles.Root;
        var tooLong = new[] { "MicAi.Core", "MicAi.Host", "MicAi.Functions" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (Path: Path.GetRelativePath(root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.Path}: {f.Lines} lines").ToList();

        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));
    }
}
