using MicAi.Core.Hosting;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Hosting;

/// <summary>A loop that keeps failing logs one line per backoff step, with the stack trace only once per outage.</summary>
public sealed class LoopFailuresTests
{
    private static (LoopFailures Loop, CapturedLogs Logs) Create()
    {
        var logs = new CapturedLogs();
        return (new LoopFailures("worker", logs.CreateLogger("test")), logs);
    }

    [Fact]
    public void Failed_LogsOneLinePerStep_TheStackTraceOnlyForTheFirst()
    {
        var (loop, logs) = Create();
        var delays = Enumerable.Range(0, 10).Select(_ => loop.Failed(new TimeoutException("Redis timed out"))).ToList();

        var lines = logs.Messages.ToList();
        Assert.Equal(10, lines.Count);
        Assert.StartsWith("Error 1005:", lines[0]);
        Assert.Contains("System.TimeoutException: Redis timed out", lines[0]); // the exception itself, once
        Assert.All(lines.Skip(1), l => Assert.StartsWith("Warning 1006:", l));
        Assert.All(lines.Skip(1), l => Assert.DoesNotContain("System.TimeoutException:", l));
        Assert.Contains("(10 tries in a row): TimeoutException: Redis timed out; next try in", lines[9]);
        Assert.All(delays, d => Assert.True(d > TimeSpan.Zero));
    }

    [Fact]
    public void Succeeded_EndsTheOutage_SoTheNextOneLogsItsStackTraceAgain()
    {
        var (loop, logs) = Create();
        loop.Succeeded(); // no outage: nothing to say
        Assert.Empty(logs.Messages);

        loop.Failed(new InvalidOperationException("down"));
        loop.Failed(new InvalidOperationException("down"));
        loop.Succeeded();
        loop.Failed(new InvalidOperationException("down again"));

        Assert.Equal(["Error 1005", "Warning 1006", "Information 1007", "Error 1005"], logs.Messages.Select(l => l[..l.IndexOf(':')]));
        Assert.Contains("after 2 failed tries", logs.Messages.ElementAt(2));
        Assert.Equal(1, loop.Count);
    }
}
