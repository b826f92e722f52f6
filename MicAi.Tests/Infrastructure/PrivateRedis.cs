using System.Diagnostics;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// A Redis server of a test's own (TLS and an ACL user, as <see cref="RedisRig"/> sets up), without persistence, that
/// the test may kill and restart on the same port with the same password.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private readonly RedisRig rig = new();
    private readonly string dir = Path.Combine(Path.GetTempPath(), "micai-redis-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string config;
    private Process? process;

    private PrivateRedis(int port)
    {
        Port = port;
        config = rig.WriteConfig(dir, port);
    }

    public int Port { get; }
    public string Url => rig.Url(Port);

    public static async Task<PrivateRedis> StartAsync()
    {
        var redis = new PrivateRedis(HostProcess.FreePort());
        await redis.StartServerAsync();
        return redis;
    }

    public async Task StartServerAsync() => process = await rig.StartAsync(config, Port);

    /// <summary>SIGKILL: Redis is gone with everything in memory, as after a crash of an instance without persistence.</summary>
    public async Task KillServerAsync()
    {
        if (process is null) return;
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillServerAsync();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
