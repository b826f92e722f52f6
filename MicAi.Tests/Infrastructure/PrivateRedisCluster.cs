using System.Diagnostics;
using MicAi.Core.Configuration;
using StackExchange.Redis;

namespace MicAi.Tests.Infrastructure;

/// <summary>The cluster tests share one cluster and run one at a time (each is short; the cluster starts once).</summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<PrivateRedisCluster>
{
    public const string Name = "Redis Cluster";
}

/// <summary>
/// A real three-master Redis Cluster on loopback, as managed Redis runs in cluster mode: every node TLS only with the
/// ACL user of <see cref="RedisRig"/>, the cluster bus and replication over TLS too, slots split by
/// <c>redis-cli --cluster create</c>. <see cref="Url"/> names one node only: StackExchange.Redis finds the others.
/// </summary>
public sealed class PrivateRedisCluster : IAsyncLifetime
{
    private const int Nodes = 3;
    private readonly RedisRig rig = new();
    private readonly string root = Path.Combine(Path.GetTempPath(), "micai-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<Process> processes = [];

    public int[] Ports { get; } = Enumerable.Range(0, Nodes).Select(_ => PortWithFreeBus()).ToArray();

    /// <summary>The first node only, as an operator would configure MICAI_REDIS_URL.</summary>
    public string Url => rig.Url(Ports[0]);

    public async Task InitializeAsync()
    {
        try
        {
            foreach (var port in Ports)
            {
                var config = rig.WriteConfig(Path.Combine(root, port.ToString()), port, "cluster-enabled yes", "cluster-config-file nodes.conf",
                    "cluster-node-timeout 5000", "tls-cluster yes", "tls-replication yes");
                processes.Add(await rig.StartAsync(config, port));
            }
            await rig.CliAsync(["--cluster", "create", .. Ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "0", "--cluster-yes"]);
            await WaitUntilServedAsync();
        }
        catch
        {
            await DisposeAsync(); // a fixture whose start failed may not be disposed: no server may outlive the run
            throw;
        }
    }

    /// <summary>
    /// A free port whose cluster bus port (port + 10000, which redis-cli --cluster create assumes when it introduces
    /// the nodes) is free too, below the ephemeral range so neither is taken by an outgoing connection meanwhile.
    /// </summary>
    private static int PortWithFreeBus()
    {
        for (var i = 0; i < 200; i++)
        {
            var port = Random.Shared.Next(20000, 30000);
            if (Free(port) && Free(port + 10000)) return port;
        }
        throw new InvalidOperationException("no free loopback port pair (p, p + 10000) found");
    }

    private static bool Free(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException) { return false; }
    }

    /// <summary>Every node says the cluster is ok and every node owns slots.</summary>
    private async Task WaitUntilServedAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var states = await Task.WhenAll(Ports.Select(p => rig.CliAsync("-h", "127.0.0.1", "-p", p.ToString(), "cluster", "info")));
            if (states.All(s => s.Contains("cluster_state:ok", StringComparison.Ordinal))) return;
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("the Redis Cluster did not reach cluster_state:ok:\n" + string.Join("\n", states));
            await Task.Delay(200);
        }
    }

    /// <summary>A client as MicAi makes one from <see cref="Url"/>.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(Url));

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            try { process.Kill(); await process.WaitForExitAsync(); } catch (InvalidOperationException) { } // already gone
            process.Dispose();
        }
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
