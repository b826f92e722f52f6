using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MicAi.Core.Hosting;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Host;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Faults;

/// <summary>With Redis unreachable the loops stay quiet (one line per backoff step) and SIGTERM ends the process at once.</summary>
[Collection(FaultCollection.Name)]
public sealed class RedisUnreachableTests
{
    private static async Task<Dictionary<string, string?>> EnvironmentAsync(string redisUrl) => new()
    {
        [StorageSettings.Keys.DatabaseUrl] = await TestServers.CreateDatabaseAsync(),
        [QueueSettings.Keys.RedisUrl] = redisUrl,
        [QueueSettings.Keys.RedisKeyPrefix] = TestServers.NewRedisPrefix(),
        // Far past anything the test waits for: an exit within the test's wait was not the grace period running out.
        [HostingSettings.Keys.ShutdownTimeoutSeconds] = "300",
    };

    /// <summary>
    /// A port bound and never listened on: every connection to it is refused, and no other test's server can take it
    /// meanwhile (a merely free port once went to a server that accepted and never answered, and the Host's start
    /// waited on that handshake past the test's wait).
    /// </summary>
    private static Socket RefusingPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int PortOf(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    [Fact]
    public async Task All_WhileItsRedisCallsHang_ExitsZeroOnSigterm_WithoutWaitingForThem()
    {
        // Redis calls that wait 2 minutes before they fail: the stop must not wait for them. The connect timeout is
        // set: without it the multiplexer's synchronous connect at start sometimes waited as long as syncTimeout (seen:
        // 120 s from the first log line to the next), and twice that passed the wait below.
        using var refusing = RefusingPort();
        var redis = $"127.0.0.1:{PortOf(refusing)},syncTimeout=120000,asyncTimeout=120000,connectTimeout=2000,abortConnect=false";
        await using var all = HostProcess.Start(["all"], await EnvironmentAsync(redis), port: HostProcess.FreePort());
        await all.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(200));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the loops are inside their Redis calls now

        Assert.Equal(0, await all.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task All_WithARedisThatAcceptsAndStaysSilent_ListensAndAnswersHealth_AndExitsZeroOnSigterm()
    {
        // The handshake completes (the kernel accepts into the backlog) and nothing ever answers. A connect timeout of
        // 2 minutes: had the start waited for the connection (it did, building the worker's and scheduler's services
        // before Kestrel listened), /health could not answer within the wait below, nor the stop within its wait.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var redis = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port},connectTimeout=120000,abortConnect=false";
        await using var all = HostProcess.Start(["all"], await EnvironmentAsync(redis), port: HostProcess.FreePort());

        await all.WaitForHealthAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, await all.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Worker_WithRedisUnreachable_LogsOneLinePerLoopAndBackoffStep_TheStackTraceOncePerLoop()
    {
        using var refusing = RefusingPort();
        await using var worker = HostProcess.Start(["worker"], await EnvironmentAsync($"redis://127.0.0.1:{PortOf(refusing)}/0"));
        await worker.WaitForOutputAsync("(3 tries in a row)", TimeSpan.FromSeconds(120));
        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(60)));

        var lines = worker.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var faulted = lines.Where(l => l.GetProperty("EventId").GetInt32() == 1005).ToList();
        var again = lines.Where(l => l.GetProperty("EventId").GetInt32() == 1006).ToList();
        Assert.Equal(WorkerPass.BatchesInFlight, faulted.Count); // each loop's first failure, with its stack trace
        Assert.All(faulted, l => Assert.True(l.TryGetProperty("Exception", out _)));
        Assert.All(again, l => Assert.False(l.TryGetProperty("Exception", out _)));
        // Per loop, the n-th step's line says "n tries in a row": one line per loop and step, none repeated.
        var steps = again.Select(l => l.GetProperty("State").GetProperty("Failures").GetInt32()).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(steps, s => Assert.InRange(s.Value, 1, WorkerPass.BatchesInFlight));
        Assert.Equal(WorkerPass.BatchesInFlight, steps[2]);
        Assert.DoesNotContain(lines, l => l.TryGetProperty("Exception", out _) && l.GetProperty("EventId").GetInt32() != 1005);
    }
}
