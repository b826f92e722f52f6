using MicAi.Bench;

namespace MicAi.Tests.Bench;

/// <summary>What the bench names in a slow window, from two samples taken around it.</summary>
public sealed class WindowEventsTests
{
    private static WindowSample Sample(long walSegments, double benchPauseMs, long dirtyKb = 0) =>
        Checkpointer(WindowSample.CheckpointerIdle, 0, 0) with { WalSegments = walSegments, BenchGcPause = TimeSpan.FromMilliseconds(benchPauseMs), DirtyKb = dirtyKb };

    private static WindowSample Checkpointer(string wait, long buffers, long done) =>
        new(0, 0, 0, 0, done, buffers, wait, 0, "", new Dictionary<string, int>(), new Dictionary<string, RuntimeCounters>());

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

    [Fact]
    public void Between_NamesTheKernelsWriteback_WhenTheDirtyPageCacheFellByAtLeast16Mb()
    {
        var events = WindowSample.Between(Sample(40, 0, dirtyKb: 92_000), Sample(40, 0, dirtyKb: 1_500));

        Assert.Equal(["the kernel wrote back 88 MB of dirty page cache (commits wait behind it)"], events.Causes);
    }

    [Fact]
    public void Between_NamesNoWriteback_WhenTheDirtyPageCacheGrewOrFellLittle()
    {
        Assert.Empty(WindowSample.Between(Sample(40, 0, dirtyKb: 1_000), Sample(40, 0, dirtyKb: 60_000)).Causes);
        Assert.Empty(WindowSample.Between(Sample(40, 0, dirtyKb: 30_000), Sample(40, 0, dirtyKb: 20_000)).Causes);
    }

    [Fact]
    public void DirtyPageCacheKb_ReadsMeminfosDirtyLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["MemTotal:       24683812 kB", "Dirty:             90168 kB", "Writeback:            16 kB"]);
            Assert.Equal(90_168, WindowSample.DirtyPageCacheKb(file));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Between_NamesNoCheckpoint_WhenASpreadCheckpointOnlyPacedThroughTheWindow()
    {
        var events = WindowSample.Between(Checkpointer(WindowSample.CheckpointerPacing, 1200, 7), Checkpointer(WindowSample.CheckpointerPacing, 1200, 7));

        Assert.Empty(events.Causes);
    }

    [Fact]
    public void Between_NamesACheckpoint_ThatWroteBuffers_SyncedFiles_OrFinished()
    {
        Assert.Equal(["checkpoint (85 buffers written)"],
            WindowSample.Between(Checkpointer(WindowSample.CheckpointerPacing, 1200, 7), Checkpointer(WindowSample.CheckpointerPacing, 1285, 7)).Causes);
        Assert.Equal(["checkpoint (0 buffers written, checkpointer DataFileSync)"],
            WindowSample.Between(Checkpointer(WindowSample.CheckpointerPacing, 1285, 7), Checkpointer("DataFileSync", 1285, 7)).Causes);
        Assert.Equal(["checkpoint (0 buffers written, finished, checkpointer running)"],
            WindowSample.Between(Checkpointer("", 1285, 7), Checkpointer(WindowSample.CheckpointerIdle, 1285, 8)).Causes);
    }
}
