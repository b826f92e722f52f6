using System.Net;
using System.Net.Sockets;
using MicAi.Bench;

namespace MicAi.Tests.Bench;

/// <summary>The ports handed to child processes: outside the ephemeral range, free, and never given out twice.</summary>
public sealed class LoopbackPortsTests
{
    /// <summary>Replays the given candidate indexes, then fails: each test says exactly which ports are tried.</summary>
    private static Func<int, int, int> Script(params int[] indexes)
    {
        var next = 0;
        return (_, _) => next < indexes.Length ? indexes[next++] : throw new InvalidOperationException("no more scripted picks");
    }

    /// <summary>An allocator whose candidates are <see cref="LoopbackPorts.Lowest"/> … highest (all below its ephemeral range).</summary>
    private static LoopbackPorts Below(int highest, Func<int, int, int> pick) => new(new PortRange(highest + 1, IPEndPoint.MaxPort), pick);

    private static int Index(int port) => port - LoopbackPorts.Lowest;

    [Fact]
    public void Next_HandsOutOnlyPortsOutsideTheKernelsEphemeralRange()
    {
        var ephemeral = PortRange.Ephemeral();
        var ports = new LoopbackPorts(ephemeral, Random.Shared.Next);

        var handed = Enumerable.Range(0, 200).Select(_ => ports.Next()).ToList();

        Assert.All(handed, p => Assert.True(p >= LoopbackPorts.Lowest && !ephemeral.Contains(p), $"{p} is inside {ephemeral} or below {LoopbackPorts.Lowest}"));
    }

    [Fact]
    public async Task Next_NeverHandsOutOnePortTwice_WhenManyThreadsAskAtOnce()
    {
        // 400 candidates for 100 callers: random picks collide often, so only the bookkeeping keeps them apart.
        var ports = Below(LoopbackPorts.Lowest + 399, Random.Shared.Next);

        var handed = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(ports.Next)));

        Assert.Equal(handed.Length, handed.Distinct().Count());
    }

    [Fact]
    public void Next_SkipsAPortItHandedOutBefore()
    {
        var (first, second) = TwoFreePorts();
        var ports = Below(Math.Max(first, second), Script(Index(first), Index(first), Index(second)));

        Assert.Equal(first, ports.Next());
        Assert.Equal(second, ports.Next());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    public void Next_SkipsAPortSomethingListensOn(string address)
    {
        var (busy, free) = TwoFreePorts();
        using var listener = new TcpListener(IPAddress.Parse(address), busy);
        listener.Start();
        var ports = Below(Math.Max(busy, free), Script(Index(busy), Index(free)));

        Assert.False(LoopbackPorts.IsFree(busy));
        Assert.Equal(free, ports.Next());
    }

    [Fact]
    public void EphemeralRange_IsParsedFromTheKernelsFormat_AndIsIanasWithoutIt()
    {
        Assert.Equal(new PortRange(32768, 60999), PortRange.Parse("32768\t60999\n"));
        Assert.Equal(PortRange.Iana, PortRange.Ephemeral(Path.Combine(Path.GetTempPath(), "micai-no-such-range-file")));
        Assert.Throws<FormatException>(() => PortRange.Parse("60999"));
        Assert.Throws<FormatException>(() => PortRange.Parse("60999 32768"));
    }

    /// <summary>Two ports this test run reserved (so no other test takes them meanwhile), both below the ephemeral range.</summary>
    private static (int, int) TwoFreePorts()
    {
        var below = new List<int>();
        while (below.Count < 2)
            if (LoopbackPorts.Shared.Next() is var p && p < LoopbackPorts.Shared.EphemeralRange.Low) below.Add(p);
        return (below[0], below[1]);
    }
}
