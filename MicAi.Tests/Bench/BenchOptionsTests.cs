using MicAi.Bench;

namespace MicAi.Tests.Bench;

public sealed class BenchOptionsTests
{
    [Fact]
    public void Full_WarmsTheE2eLatencyPhaseUpFor30Seconds_AndTheOtherPartsFor5()
    {
        var full = BenchOptions.Parse(["full"]);

        Assert.Equal(TimeSpan.FromSeconds(30), full.E2eWarmup);
        Assert.Equal(TimeSpan.FromSeconds(5), full.Warmup);
    }

    [Fact]
    public void E2eWarmup_IsTakenFromItsOwnOption_AndIsUnsetOtherwise()
    {
        Assert.Equal(TimeSpan.FromSeconds(12), BenchOptions.Parse(["e2e", "--e2e-warmup", "12"]).E2eWarmup);
        Assert.Null(BenchOptions.Parse(["e2e", "--warmup", "3"]).E2eWarmup);
    }

    [Fact]
    public void ApiLaunches_AreFiveUnlessTheOptionSaysOtherwise_AndAtLeastOne()
    {
        Assert.Equal(5, BenchOptions.Parse(["footprint"]).ApiLaunches);
        Assert.Equal(9, BenchOptions.Parse(["footprint", "--api-launches", "9"]).ApiLaunches);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["footprint", "--api-launches", "0"]));
    }

    [Fact]
    public void ShortPhases_NameQuicksIngestAndE2e_AndOnlyThosePartsTheRunHas_ButNothingInFull()
    {
        var quick = BenchOptions.Parse(["quick"]).ShortPhases();
        Assert.NotNull(quick);
        Assert.Contains("ingest's 5 s", quick);
        Assert.Contains("e2e's 8 s at max", quick);

        Assert.DoesNotContain("e2e", BenchOptions.Parse(["ingest"]).ShortPhases());
        Assert.Null(BenchOptions.Parse(["full"]).ShortPhases());
        Assert.Null(BenchOptions.Parse(["ingest", "--ingest-seconds", "40"]).ShortPhases());
        Assert.Null(BenchOptions.Parse(["e2e", "--e2e-max-seconds", "30"]).ShortPhases());
        Assert.Null(BenchOptions.Parse(["footprint"]).ShortPhases());
    }
}
