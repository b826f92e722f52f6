using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Rig;

/// <summary>
/// bin/test's verdict (test_summary in bin/lib/test-run.sh) over results shaped like dotnet test writes them: a trx
/// with one UnitTestResult per test, and the blame collector's sequence file when the hang guard stopped the run.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed partial class TestSummaryTests : IDisposable
{
    private readonly TempDir results = new();

    private static int MinTests => int.Parse(MinTestsLine().Match(RepoFiles.Read("bin/lib/test-run.sh")).Groups[1].Value);

    [GeneratedRegex(@"^MIN_TESTS=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex MinTestsLine();

    private void WriteTrx(int passed, int failed = 0)
    {
        var rows = Enumerable.Range(0, passed).Select(i => Row($"Passing{i}", "Passed"))
            .Concat(Enumerable.Range(0, failed).Select(i => Row($"Failing{i}", "Failed")));
        File.WriteAllText(Path.Combine(results.Path, "run.trx"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<TestRun><Results>\n{string.Join('\n', rows)}\n</Results></TestRun>\n");

        static string Row(string name, string outcome) =>
            $"""<UnitTestResult executionId="{Guid.NewGuid()}" testId="{Guid.NewGuid()}" testName="MicAi.Tests.X.{name}" computerName="vm" duration="00:00:00.01" testType="13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b" outcome="{outcome}" testListId="8c84fa94-04c1-424b-9868-57a2d4851a1d" />""";
    }

    private void WriteSequence(params (string Name, bool Completed)[] tests)
    {
        var dir = Directory.CreateDirectory(Path.Combine(results.Path, Guid.NewGuid().ToString()));
        var rows = tests.Select(t =>
            $"""  <Test Name="MicAi.Tests.X.{t.Name}" DisplayName="MicAi.Tests.X.{t.Name}(source: &quot;a&quot;)" Source="/x/MicAi.Tests.dll" Completed="{t.Completed}" />""");
        File.WriteAllText(Path.Combine(dir.FullName, "Sequence_0.xml"), $"<?xml version=\"1.0\"?>\n<TestSequence>\n{string.Join('\n', rows)}\n</TestSequence>");
    }

    private Task<ProcessRun> SummaryAsync(int dotnetTestStatus, params string[] args) =>
        ProcessRun.RunAsync("bash", ["-c", """set -euo pipefail; source bin/lib/test-run.sh; test_summary "$@" """, "bash", results.Path, dotnetTestStatus.ToString(), .. args]);

    /// <summary>The exit status and the last line, `N passed, N failed`, that CI reads.</summary>
    private static void AssertVerdict(ProcessRun run, int exitCode, string lastLine)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}, expected {exitCode}:\n{run.Output}");
        Assert.Equal(lastLine, run.Stdout.TrimEnd('\n').Split('\n')[^1]);
    }

    [Fact]
    public async Task UnfilteredRun_Passes_WhenItRanTheWholeSuite()
    {
        WriteTrx(passed: MinTests);

        var run = await SummaryAsync(0);

        AssertVerdict(run, 0, $"{MinTests} passed, 0 failed");
    }

    [Fact]
    public async Task UnfilteredRun_Fails_WhenFewerTestsRanThanTheSuiteHas()
    {
        WriteTrx(passed: MinTests - 1);

        var run = await SummaryAsync(0);

        Assert.Contains($"only {MinTests - 1} tests ran", run.Stderr);
        AssertVerdict(run, 1, $"{MinTests - 1} passed, 0 failed");
    }

    [Fact]
    public async Task FilteredRun_Passes_WithAFewTests()
    {
        WriteTrx(passed: 3);

        var run = await SummaryAsync(0, "--filter", "FullyQualifiedName~Inbox");

        AssertVerdict(run, 0, "3 passed, 0 failed");
    }

    [Fact]
    public async Task FilteredRun_Fails_WhenTheFilterMatchedNoTest()
    {
        WriteTrx(passed: 0);

        var run = await SummaryAsync(0, "--filter=FullyQualifiedName~NoSuchTest");

        Assert.Contains("the filter matched no test", run.Stderr);
        AssertVerdict(run, 1, "0 passed, 0 failed");
    }

    [Fact]
    public async Task Run_Fails_CountingEachFailedResult_EvenWhenDotnetTestExitedZero()
    {
        WriteTrx(passed: 2, failed: 2);

        var run = await SummaryAsync(0, "--filter", "FullyQualifiedName~X");

        AssertVerdict(run, 1, "2 passed, 2 failed");
    }

    [Fact]
    public async Task StoppedRun_CountsTheTestsStillRunning_AsFailed_AndNamesThem()
    {
        WriteTrx(passed: 2);
        WriteSequence(("Hung", false), ("Passing0", true), ("Passing1", true));

        var run = await SummaryAsync(1, "--filter", "FullyQualifiedName~X");

        Assert.Contains("did not finish", run.Stderr);
        Assert.Contains("  MicAi.Tests.X.Hung(source: \"a\")", run.Stderr);
        AssertVerdict(run, 1, "2 passed, 1 failed");
    }

    [Fact]
    public async Task Run_Fails_WhenNoResultsWereWritten()
    {
        var run = await SummaryAsync(0);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no test results (.trx) were written", run.Stderr);
    }

    public void Dispose() => results.Dispose();
}
