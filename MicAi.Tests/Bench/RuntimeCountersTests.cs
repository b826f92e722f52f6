using MicAi.Bench;

namespace MicAi.Tests.Bench;

public sealed class RuntimeCountersTests
{
    [Fact]
    public void Reading_IsParsedFromTheHooksLine_AndAnythingElseIsNoReading()
    {
        Assert.Equal(new RuntimeCounters(412, 37, 2, 1834.5, 9, 3), RuntimeCounters.Parse("412 37 2 1834.5 9 3"));
        Assert.Null(RuntimeCounters.Parse("412 37 2"));
    }

    [Fact]
    public void Changes_NameAGen2OrLongPause_AndThreadPoolGrowth_ButNotRoutineGen0Collections()
    {
        var before = new RuntimeCounters(400, 30, 1, 1800, 8, 0);

        Assert.Empty(RuntimeCounters.Changes("api", before, before with { Gen0 = 402, PauseMs = 1802 }));
        Assert.Equal(["api GC gen0 ×3, gen1 ×1, gen2 ×1, paused 41 ms", "api thread pool grew 8→12 (queue 57)"],
            RuntimeCounters.Changes("api", before, new RuntimeCounters(403, 31, 2, 1841, 12, 57)));
    }
}
