using System.Text.Json.Nodes;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Admin;

/// <summary>
/// Redocly's CLI (<c>redocly lint</c> with its recommended rules) over an OpenAPI document: an outside tool's verdict.
/// bin/test installs it and exports MICAI_TEST_REDOCLY (bin/lib/redocly.sh); where it could not, outside CI, it
/// exports the reason in MICAI_TEST_REDOCLY_SKIPPED and the lint tests are reported skipped.
/// </summary>
internal static class OpenApiLint
{
    public static string? SkipReason => Environment.GetEnvironmentVariable("MICAI_TEST_REDOCLY_SKIPPED") is { Length: > 0 } why ? why : null;

    /// <summary>The CLI's JSON report: totals (errors, warnings, ignored) and every problem.</summary>
    public static async Task<JsonObject> LintAsync(string document)
    {
        var cli = Environment.GetEnvironmentVariable("MICAI_TEST_REDOCLY") is { Length: > 0 } path ? path
            : throw new InvalidOperationException("MICAI_TEST_REDOCLY is not set: run the tests with bin/test, which installs Redocly's CLI");
        var dir = Directory.CreateTempSubdirectory("micai-openapi-");
        try
        {
            // A directory of its own: no redocly.yaml nearby can change the rules.
            var file = Path.Combine(dir.FullName, "openapi.json");
            await File.WriteAllTextAsync(file, document);
            var run = await ProcessRun.RunAsync(cli, ["lint", "--extends=recommended", "--format=json", file],
                new Dictionary<string, string?> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
                TimeSpan.FromMinutes(2));
            return JsonNode.Parse(run.Stdout) as JsonObject ?? throw new InvalidOperationException($"redocly printed no report: {run.Output}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Asserts the report has neither errors nor warnings, naming every problem when it has.</summary>
    public static void AssertClean(JsonObject report)
    {
        var totals = report["totals"]!;
        var problems = string.Join("\n", report["problems"]!.AsArray().Select(p =>
            $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}"));
        Assert.True(totals["errors"]!.GetValue<int>() == 0 && totals["warnings"]!.GetValue<int>() == 0,
            $"redocly lint: {totals.ToJsonString()}\n{problems}");
    }
}

/// <summary>A fact that needs Redocly's CLI: reported skipped, with bin/test's reason, when it could not be installed.</summary>
public sealed class RedoclyFactAttribute : FactAttribute
{
    public RedoclyFactAttribute() => Skip = OpenApiLint.SkipReason;
}
