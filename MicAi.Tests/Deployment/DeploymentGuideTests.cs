using System.Reflection;
using System.Text.RegularExpressions;
using MicAi.Tests.Admin;
using MicAi.Core.Configuration;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Deployment;

/// <summary>DEPLOYMENT.md is followed without reading code, so every name it gives must exist.</summary>
public partial class DeploymentGuideTests
{
    private static readonly string Guide = RepoFiles.Read("DEPLOYMENT.md");

    [Fact]
    public void Guide_NamesOnlyVariablesTheDeploymentFilesSet()
    {
        var known = SettingsCatalog.All.Select(s => s.Name)
            .Concat(RenderBlueprint.Load("render.yaml").Groups.SelectMany(g => g["envVars"].Items).Select(v => v["key"].Text))
            .Concat(RepoFiles.Scripts().SelectMany(f => Variable().Matches(File.ReadAllText(f)).Select(m => m.Value)))
            .ToHashSet();
        var unknown = Variable().Matches(Guide).Select(m => m.Value).Distinct().Where(v => !known.Contains(v)).ToList();
        Assert.True(unknown.Count == 0, $"DEPLOYMENT.md names variables that neither the app, the Blueprint nor bin/ reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Guide_NamesOnlyScriptsThatExist()
    {
        var scripts = Script().Matches(Guide).Select(m => m.Value).Distinct().ToList();
        Assert.Contains("bin/deploy-verify", scripts);
        Assert.All(scripts, s => Assert.True(File.Exists(RepoFiles.PathOf(s)), $"DEPLOYMENT.md names {s}, which does not exist"));
    }

    [Fact]
    public void Guide_NamesTheBlueprintsServices()
    {
        foreach (var service in RenderBlueprint.Load("render.yaml").Services)
            Assert.Contains($"`{service["name"].Text}`", Guide);
        Assert.Contains("`micai-postgres`", Guide);
        Assert.Contains("`micai-shared`", Guide);
    }

    /// <summary>
    /// The Blueprint walk-through names every value Render will prompt for, under the service it is declared on (the
    /// creation page groups its inputs by service), for both Blueprint files.
    /// </summary>
    [Theory]
    [InlineData("render.yaml", "## 2.")]
    [InlineData("render.single.yaml", "## 10.")]
    public void Guide_NamesEveryValueTheBlueprintPromptsFor_UnderItsService(string file, string section)
    {
        var text = Section(section);
        var blueprint = RenderBlueprint.Load(file);
        var prompts = blueprint.Services.SelectMany(s => RenderBlueprint.OwnEntries(s)
            .Where(e => e.Get("sync")?.Text == "false").Select(e => (Service: s["name"].Text, Key: e["key"].Text))).ToList();
        Assert.NotEmpty(prompts);
        foreach (var (service, key) in prompts)
        {
            Assert.True(Section("## 2.").Contains($"`{key}`", StringComparison.Ordinal), $"DEPLOYMENT.md §2 does not name {key}");
            Assert.True(text.Contains($"under `{service}`", StringComparison.Ordinal), $"DEPLOYMENT.md {section} does not say the inputs are under `{service}`");
        }
        Assert.Contains("**Deploy Blueprint**", Section("## 2."));
    }

    private static string Section(string heading)
    {
        var start = Guide.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"DEPLOYMENT.md has no section {heading}");
        var end = Guide.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? Guide[start..] : Guide[start..end];
    }

    /// <summary>Admin paths the guide uses as working commands exist, the kill switch among them.</summary>
    [Fact]
    public void Guide_UsesOnlyAdminRoutesTheAppServes_IncludingTheKillSwitch()
    {
        var routes = AdminRouteTable.All.Select(r => r.Pattern).ToHashSet();
        var used = AdminPath().Matches(Guide).Select(m => m.Value.TrimEnd('`', '.', ')')).Distinct().ToList();
        Assert.Contains("/admin/outbound/pause", used);
        Assert.Contains("/admin/outbound/resume", used);
        foreach (var path in used.Where(p => p != "/admin/*"))
            Assert.True(routes.Contains(path), $"DEPLOYMENT.md uses {path}, which the app does not serve");
    }

    [GeneratedRegex(@"\b(MICAI_[A-Z0-9_]+|PORT)\b(?!_)")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\bbin/[a-z-]+")]
    private static partial Regex Script();

    [GeneratedRegex(@"/admin/[a-z/*{}_]+")]
    private static partial Regex AdminPath();
}
