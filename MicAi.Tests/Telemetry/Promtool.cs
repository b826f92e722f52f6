using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MicAi.Tests.Functions;

namespace MicAi.Tests.Telemetry;

/// <summary>
/// Prometheus' own checker (Debian's <c>prometheus</c> package; bin/test installs it when missing), and the series the
/// repository's alert rules and Grafana dashboard read.
/// </summary>
public static partial class Promtool
{
    public static string AlertsFile => Path.Combine(RepoPaths.Root, "ops", "prometheus", "alerts.yml");
    public static string AlertTestsFile => Path.Combine(RepoPaths.Root, "ops", "prometheus", "alerts.test.yml");
    public static string DashboardFile => Path.Combine(RepoPaths.Root, "ops", "grafana", "micai-dashboard.json");

    /// <summary>Runs promtool with <paramref name="arguments"/>, <paramref name="input"/> on stdin; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string? input, params string[] arguments)
    {
        var info = new ProcessStartInfo("promtool")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(AlertsFile)!,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start (bin/test installs Debian's prometheus package)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Every PromQL expression of the alert rules and of the dashboard's panels.</summary>
    public static IReadOnlyList<string> Expressions()
    {
        var alerts = new YamlDotNet.Serialization.DeserializerBuilder().Build()
            .Deserialize<Dictionary<string, List<Dictionary<string, object>>>>(File.ReadAllText(AlertsFile));
        var rules = alerts["groups"].SelectMany(g => (List<object>)g["rules"]).Cast<Dictionary<object, object>>().Select(r => (string)r["expr"]);
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardFile))!;
        var panels = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>());
        return rules.Concat(panels).ToList();
    }

    /// <summary>The metric names an expression selects (MicAi's, the messaging and HTTP ones), with the labels it matches on.</summary>
    public static IEnumerable<(string Metric, IReadOnlyList<string> Labels)> Selectors(string expression) =>
        Selector().Matches(Grouping().Replace(expression, "")).Select(m => (m.Groups["name"].Value,
            (IReadOnlyList<string>)LabelMatcher().Matches(m.Groups["labels"].Value).Select(l => l.Groups[1].Value).ToList()));

    [GeneratedRegex(@"(?<name>\b(?:micai|messaging|http_server)_[a-z_]+)(?:\{(?<labels>[^}]*)\})?")]
    private static partial Regex Selector();

    /// <summary><c>by (…)</c> and <c>without (…)</c> name labels, not series.</summary>
    [GeneratedRegex(@"\b(?:by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"([a-z_]+)\s*(?:=~|!~|!=|=)")]
    private static partial Regex LabelMatcher();
}
