namespace MicAi.Tests.Functions;

/// <summary>Files of the repository the tests run from (found by walking up to MicAi.sln).</summary>
internal static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string Of(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MicAi.sln"))) return dir.FullName;
        throw new InvalidOperationException($"MicAi.sln not found above {AppContext.BaseDirectory}");
    }
}
