using System.Text.RegularExpressions;
using MicAi.Core;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;

namespace MicAi.Tests.Deployment.Support;

/// <summary>
/// What <c>MICAI_APP_ENV=prod</c> demands, asked of the code itself (MicAiSettings and PlatformSettings), so a
/// deployment file is checked against the checks the processes really run rather than a copied list.
/// </summary>
public static partial class ProdSettings
{
    private static readonly SecretSource NoSecrets = new(Path.Combine(Path.GetTempPath(), "micai-no-secrets"));

    /// <summary>Every variable prod refuses to start without: the ones named "missing" when nothing else is set.</summary>
    public static IReadOnlyList<string> RequiredVariables()
    {
        var problems = Problems(new Dictionary<string, string> { [AppSettings.Keys.AppEnv] = "prod" });
        return problems.Select(p => Missing().Match(p)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>The problems both settings loaders report for this environment; empty when a process would start.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyDictionary<string, string> env)
    {
        var problems = new List<string>();
        string? Variable(string key) => env.GetValueOrDefault(key);
        try { MicAiSettings.Load(Variable, NoSecrets); }
        catch (InvalidSettingsException ex) { problems.AddRange(ex.Problems); }
        return problems;
    }

    [GeneratedRegex("^([A-Z][A-Z0-9_]*) is missing$")]
    private static partial Regex Missing();
}
