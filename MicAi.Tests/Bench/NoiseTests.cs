using MicAi.Bench;

namespace MicAi.Tests.Bench;

/// <summary>The rule that marks a run's figures as measured on a busy machine, and the /proc readings behind it.</summary>
public sealed class NoiseTests
{
    [Fact]
    public void Run_IsNoisy_WhenTheLoadAverageAtStartExceedsTheCores()
    {
        var noise = new Noise(LoadAtStart: 3.72, LoadAtEnd: 5.97, Cores: 2, OtherCpuSeconds: 0, StealSeconds: 0, MeasuredSeconds: 12);

        Assert.True(noise.IsNoisy);
        Assert.StartsWith("**NOISY**: load average at start 3.72 on 2 cores", noise.Verdict());
    }

    [Fact]
    public void Run_IsNoisy_WhenOtherProcessesAndStealTookATenthOfTheMachine()
    {
        // 2 cores: a tenth is 0.2 cores; here 2.0 s of other CPU and 0.4 s of steal over 10 s of windows.
        var noise = new Noise(0.5, 4.1, 2, OtherCpuSeconds: 2.0, StealSeconds: 0.4, MeasuredSeconds: 10);

        Assert.Equal(0.24, noise.OtherCores, 9);
        Assert.True(noise.IsNoisy);
        Assert.Contains("other processes and steal 0.24 cores", noise.Verdict());
    }

    [Fact]
    public void Run_IsQuiet_WhenLoadWasLowAtStart_AndOthersTookLessThanATenth_WhateverTheLoadAtTheEnd()
    {
        // The load at the end includes the bench's own processes: it is recorded, not judged.
        var noise = new Noise(1.1, 7.9, 2, OtherCpuSeconds: 2.3, StealSeconds: 0, MeasuredSeconds: 12);

        Assert.False(noise.IsNoisy);
        Assert.StartsWith("quiet: load average at start 1.10 on 2 cores", noise.Verdict());
    }

    [Fact]
    public void OneMinute_IsTheFirstFigureOfProcLoadavg()
    {
        Assert.Equal(0.46, Noise.OneMinute("0.46 2.39 6.80 4/215 5544\n"));
        Assert.InRange(Noise.OneMinute(File.ReadAllText("/proc/loadavg")), 0, 10_000);
    }

    [Fact]
    public void CpuLine_CountsUserNiceSystemIrqSoftirqAsBusy_AndStealApart()
    {
        // This machine's /proc/stat, taken while writing the bench (USER_HZ 100).
        var (busy, steal) = MachineCpu.ParseCpuLine("cpu  641413 0 172545 212164 4723 0 4453 631 0 0");

        Assert.Equal(8184.11, busy, 6);
        Assert.Equal(6.31, steal, 6);
        Assert.True(MachineCpu.Read().Busy > 0);
    }

    [Fact]
    public void ProcessStat_IsReadAfterTheLastParenthesis_SoACommandNameWithSpacesAndParensParses()
    {
        var stat = "4242 (a (weird) name) S 17 4242 4242 0 -1 4194304 100 0 0 0 250 75 12 3 20 0 1 0 1000 1 1 0";

        Assert.Equal((17, 250 + 75 + 12 + 3), MachineCpu.ParseStat(stat));
    }

    [Fact]
    public void ProcessTree_CountsTheCpuOfEveryProcessBelowTheRoot()
    {
        // A shell that only waits, with two children that burn CPU: the tree's CPU is theirs, not the shell's.
        using var root = System.Diagnostics.Process.Start("sh", ["-c", "for i in 1 2; do (while :; do :; done) & done; wait"]);
        try
        {
            double children = 0;
            for (var i = 0; i < 500 && children == 0; i++)
            {
                Thread.Sleep(20);
                children = MachineCpu.TreeSeconds([root.Id]) - MachineCpu.ReadStat(root.Id)!.Value.Ticks / 100.0;
            }
            Assert.True(children > 0, "the busy children's CPU was never counted in the tree");
        }
        finally
        {
            root.Kill(entireProcessTree: true);
            root.WaitForExit();
        }
    }
}
