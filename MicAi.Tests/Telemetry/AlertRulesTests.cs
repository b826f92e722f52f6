namespace MicAi.Tests.Telemetry;

/// <summary>The alert rules in ops/prometheus are valid for Prometheus and fire as docs/observability.md says (synthetic series).</summary>
public sealed class AlertRulesTests
{
    [Fact]
    public async Task AlertRules_PassPromtoolCheckRules()
    {
        var (exit, output) = await Promtool.RunAsync(null, "check", "rules", Promtool.AlertsFile);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task AlertRules_FireOnTheirSyntheticSeries_AndStayQuietOtherwise()
    {
        var (exit, output) = await Promtool.RunAsync(null, "test", "rules", Promtool.AlertTestsFile);
        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public void EveryAlert_IsExplainedInDocsObservability()
    {
        var doc = File.ReadAllText(Path.Combine(Functions.RepoPaths.Root, "docs", "observability.md"));
        var alerts = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Promtool.AlertsFile), @"- alert: (\w+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(8, alerts.Count);
        Assert.All(alerts, a => Assert.Contains($"### {a}", doc));
    }
}
