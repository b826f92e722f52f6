using System.Reflection;
using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Configuration;

/// <summary>
/// README's configuration table is the settings' declarations (name, default, meaning) written out: every declared
/// setting has its row with its default, and no row names a setting that does not exist.
/// </summary>
public sealed class SettingsTableTests
{
    private const string Header = "| Variable | Default (dev) | Meaning |";

    /// <summary>Each declared setting as README shows it, in the order of MicAiSettings' sections.</summary>
    private static IReadOnlyList<string> Expected()
    {
        var order = typeof(MicAiSettings).GetConstructors().Single().GetParameters()
            .SelectMany(p => p.ParameterType.GetNestedType("Keys")!.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (string)f.GetRawConstantValue()!).ToList();
        return SettingsCatalog.All.OrderBy(s => order.IndexOf(s.Name))
            .Select(s => $"| `{s.Name}` | {s.DefaultShown} | {s.Declaration.Meaning} |").ToList();
    }

    private static IReadOnlyList<string> Documented()
    {
        var lines = RepoFiles.Read("README.md").Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.IndexOf(Header);
        Assert.True(start >= 0, $"README.md has no table headed {Header}");
        return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')).ToList();
    }

    [Fact]
    public void Readme_DocumentsEveryDeclaredSetting_WithItsDefaultAndMeaning_AndNothingElse()
    {
        var expected = Expected();
        var documented = Documented();

        var missing = expected.Except(documented).ToList();
        var unknown = documented.Except(expected).ToList();
        Assert.True(missing.Count == 0 && unknown.Count == 0,
            $"README.md's configuration table differs from the declarations ([Setting] in each capability's Keys).\n" +
            $"Rows README lacks or has differently:\n{string.Join('\n', missing)}\nRows README has that no declaration makes:\n{string.Join('\n', unknown)}\n" +
            $"The whole table:\n{Header}\n| --- | --- | --- |\n{string.Join('\n', expected)}");
    }

    [Fact]
    public void Catalog_HasEverySectionsSettings_AndEachOnce()
    {
        var sections = typeof(MicAiSettings).GetConstructors().Single().GetParameters().Select(p => p.ParameterType).ToList();
        var declared = sections.SelectMany(t => t.GetNestedType("Keys")!.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(declared.Count, declared.Distinct().Count());
        Assert.Equal(declared.Order(), SettingsCatalog.All.Select(s => s.Name).Order());
        Assert.All(SettingsCatalog.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Declaration.Meaning), s.Name));
    }

    [Fact]
    public void Reader_RefusesANameThatIsNotDeclared()
    {
        var reader = new SettingsReader(_ => "1", new SecretSource(Path.GetTempPath()));
        var error = Assert.Throws<ArgumentException>(() => reader.Int("MICAI_NOT_DECLARED", min: 0));
        Assert.Contains("MICAI_NOT_DECLARED is not a declared setting", error.Message);
    }
}
