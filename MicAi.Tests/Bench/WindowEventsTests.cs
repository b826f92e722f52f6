using MicAi.Bench;

namespace MicAi.Tests.Bench;

/// <summary>What the bench names in a slow window, from two samples taken around it.</summary>
public sealed class WindowEventsTests
{
    private static WindowSample Sample(long walSegments, double benchPauseMs) =>
        new(0, 0, 0, 0, 0, 0, false, 0, "", new Dictionary<string, int>(), new Dictionary<string, RuntimeCounters>(),
            walSegments, TimeSpan.FromMilliseconds(benchPauseMs));

    [Fact]
    public void Between_NamesNewWalSegments_AndALoadGeneratorGcPause()
    {
        var events = WindowSample.Between(Sample(walSegments: 40, benchPauseMs: 100), Sample(walSegments: 42, benchPauseMs: 160));

        Assert.Equal(["2 new WAL segment(s)", "load generator GC paused 60 ms"], events.Causes);
    }

    [Fact]
    public void Between_NamesNeither_WhenSegmentsWereOnlyRecycledOrRemoved_AndTheGeneratorPausedBriefly()
    {
        var events = WindowSample.Between(Sample(walSegments: 42, benchPauseMs: 100), Sample(walSegments: 30, benchPauseMs: 102));

        Assert.Empty(events.Causes);
        Assert.StartsWith("no checkpoint", events.Describe());
    }
}
