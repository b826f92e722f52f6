using System.Diagnostics;
using MicAi.Bench;

namespace MicAi.Tests.Bench;

/// <summary>The statistics every windowed bench figure goes through: median, quartiles, range, slow windows.</summary>
public sealed class SpreadTests
{
    // Five 1-second windows of an ingest run in which a checkpoint landed in the fourth.
    private static readonly double[] CheckpointRun = [5120, 5230, 4980, 2710, 5160];

    [Fact]
    public void Spread_IsTheMedianWithQuartilesAndRange_SoOneCheckpointWindowBarelyMovesIt()
    {
        var spread = Spread.Of(CheckpointRun);

        Assert.Equal(5, spread.Count);
        Assert.Equal(5120, spread.Median);
        Assert.Equal(4980, spread.Q1);
        Assert.Equal(5160, spread.Q3);
        Assert.Equal(2710, spread.Min);
        Assert.Equal(5230, spread.Max);
        Assert.True(spread.Median > CheckpointRun.Average(), "the mean is dragged down by the one slow window, the median is not");
    }

    [Fact]
    public void Spread_OfAnEvenCount_InterpolatesBetweenTheClosestRanks()
    {
        var spread = Spread.Of([40, 10, 30, 20]);

        Assert.Equal(25, spread.Median); // the mean of the middle two
        Assert.Equal(17.5, spread.Q1);   // rank 0.75 between 10 and 20
        Assert.Equal(32.5, spread.Q3);
    }

    [Fact]
    public void Spread_IgnoresWindowsWithoutAValue_AndIsEmptyWhenNoneHasOne()
    {
        Assert.Equal(20, Spread.Of([double.NaN, 10, 30]).Median); // a window with no request has no p99
        var empty = Spread.Of([double.NaN]);
        Assert.Equal(0, empty.Count);
        Assert.Equal("–", empty.Format(v => Report.Rate(v, "/s")));
    }

    [Fact]
    public void SlowWindows_AreThoseBelowFourFifthsOfTheMedian()
    {
        Assert.Equal([3], Spread.SlowWindows(CheckpointRun));
        Assert.Empty(Spread.SlowWindows([100, 96, 104, 81])); // 81 is above 0.8 × 98
    }

    [Fact]
    public void Format_GivesTheMedianFirst_ThenTheInterquartileRangeAndTheRange_WithoutRepeatingTheUnit()
    {
        Assert.Equal("5,120 /s (IQR 4,980–5,160, range 2,710–5,230; 5 windows of 1 s)",
            Spread.Of(CheckpointRun).Format(v => Report.Rate(v, "/s"), WindowFigure.Label(TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public void Rates_CountEachCompletionInItsWindow_AndLeaveOutThePartialLastWindow()
    {
        var second = Stopwatch.Frequency;
        const long start = 1_000_000;
        // 3 in the first second, 1 in the second (one exactly on the boundary counts for the later window), 2 in a
        // partial third; one before the start is not counted.
        long[] done = [start - 5, start, start + second / 2, start + second - 1, start + second, start + 2 * second + 1, start + 2 * second + 2];

        var rates = WindowCounts.Rates(done, start, start + 2 * second + second / 2, TimeSpan.FromSeconds(1));

        Assert.Equal([3.0, 1.0], rates);
        Assert.Equal([2.0, 4.0], WindowCounts.Rates(done, start, start + 2 * second, TimeSpan.FromSeconds(0.5)).Take(2));
    }

    [Fact]
    public void Quantiles_GiveEachWindowItsOwnTail_AndNaNForAWindowWithoutSamples()
    {
        var second = Stopwatch.Frequency;
        (long, double)[] samples = [(0, 1.0), (1, 3.0), (2, 2.0), (2 * second, 40.0)];

        var p99 = WindowCounts.Quantiles(samples, 0, 3 * second, TimeSpan.FromSeconds(1), 0.99);

        Assert.Equal(3, p99.Length);
        Assert.Equal(2.98, p99[0], 3);
        Assert.True(double.IsNaN(p99[1]));
        Assert.Equal(40.0, p99[2]);
    }
}
