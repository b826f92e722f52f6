using System.Reflection;

namespace MicAi.Core.Configuration;

/// <summary>
/// Every setting MicAi reads: the <c>[Setting]</c> constants of each capability's <c>Keys</c> class, found once per
/// process. The reader looks defaults up here, prod's refusal derives its lists from here, and a test checks
/// README's table against it, so a setting is declared in exactly one place.
/// </summary>
public static class SettingsCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, Setting>> ByName = new(Find);

    public static IReadOnlyCollection<Setting> All => ByName.Value.Values.ToArray();

    public static Setting Get(string name) =>
        ByName.Value.TryGetValue(name, out var setting) ? setting
        : throw new ArgumentException($"{name} is not a declared setting (add [Setting] to its constant)", nameof(name));

    /// <summary>Required in prod: missing, empty, a dev default or a change-me-* placeholder stops the process.</summary>
    public static IReadOnlyList<string> RequiredInProd => ByName.Value.Values.Where(s => s.RequiredInProd).Select(s => s.Name).ToArray();

    /// <summary>Values that let <c>bin/dev</c> run with no setup; refused in prod.</summary>
    public static IReadOnlyDictionary<string, string> DevDefaults =>
        ByName.Value.Values.Where(s => s is { RequiredInProd: true, Default: not null }).ToDictionary(s => s.Name, s => s.Default!);

    private static IReadOnlyDictionary<string, Setting> Find()
    {
        // Each capability's Keys class, as its [assembly: DeclaresSettings] names it: a few dozen fields, read once.
        var settings = new Dictionary<string, Setting>(StringComparer.Ordinal);
        foreach (var type in typeof(SettingsCatalog).Assembly.GetCustomAttributes<DeclaresSettingsAttribute>().Select(d => d.Keys))
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (!field.IsLiteral || field.GetCustomAttribute<SettingAttribute>() is not { } declaration) continue;
            var name = (string)field.GetRawConstantValue()!;
            if (!settings.TryAdd(name, new Setting(name, declaration)))
                throw new InvalidOperationException($"{name} is declared twice ({type.FullName})");
        }
        return settings;
    }
}
