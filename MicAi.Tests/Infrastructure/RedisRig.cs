using System.Diagnostics;
using System.Security.Cryptography;
using MicAi.Core.Configuration;
using StackExchange.Redis;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// Redis servers of a test's own, shaped like managed Redis and like bin/test's (bin/lib/services.sh redis_conf):
/// TLS only with the rig's certificate (MICAI_TEST_TLS_DIR), an ACL user <c>micai</c> with a random password, the
/// default user off. Binaries come from MICAI_TEST_REDIS_SERVER, redis-cli from beside it.
/// </summary>
public sealed class RedisRig
{
    public const string User = "micai";

    /// <summary>Fresh per rig: hex, so it needs no escaping in a URL or a config line.</summary>
    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static string TlsDirectory => TestServers.Required("MICAI_TEST_TLS_DIR");
    public static string CaFile => Path.Combine(TlsDirectory, "ca.crt");
    public static string ServerBinary => Environment.GetEnvironmentVariable("MICAI_TEST_REDIS_SERVER") is { Length: > 0 } s ? s : "redis-server";

    public static string CliBinary =>
        Path.GetDirectoryName(ServerBinary) is { Length: > 0 } dir && File.Exists(Path.Combine(dir, "redis-cli")) ? Path.Combine(dir, "redis-cli") : "redis-cli";

    /// <summary>The URL MicAi takes: ACL user, TLS, and the rig's CA to trust.</summary>
    public string Url(int port) => $"rediss://{User}:{Password}@127.0.0.1:{port}/0?ssl_ca_certs={CaFile}";

    /// <summary>Writes DIR/redis.conf (owner-only: it holds the password) for a TLS-only, memory-only server on PORT.</summary>
    public string WriteConfig(string dir, int port, params string[] extra)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "redis.conf");
        string[] lines =
        [
            "bind 127.0.0.1", "port 0", $"tls-port {port}", $"tls-cert-file {TlsDirectory}/server.crt",
            $"tls-key-file {TlsDirectory}/server.key", $"tls-ca-cert-file {CaFile}", "tls-auth-clients no",
            "user default off", $"user {User} on >{Password} ~* &* +@all", $"dir {dir}", "save \"\"", "appendonly no",
            "daemonize no", .. extra,
        ];
        File.WriteAllLines(path, lines);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>Starts redis-server in the foreground on a config and waits until it answers the ACL user over TLS.</summary>
    public async Task<Process> StartAsync(string config, int port)
    {
        var info = new ProcessStartInfo(ServerBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(config);
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var options = ConnectionStrings.ToRedis(Url(port));
        options.ConnectTimeout = 1000;
        options.AbortOnConnectFail = true; // a probe: fail fast instead of queueing until a connection comes
        for (var i = 0; i < 60; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server exited with {process.ExitCode} ({config})");
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(options);
                await probe.GetServers()[0].PingAsync();
                return process;
            }
            catch (RedisException) { await Task.Delay(100); }
        }
        process.Kill();
        throw new TimeoutException($"redis-server on {port} did not answer over TLS ({config})");
    }

    /// <summary>redis-cli over TLS as the ACL user (the password goes through REDISCLI_AUTH, not the command line).</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        var info = new ProcessStartInfo(CliBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--tls", "--cacert", CaFile, "--user", User, "--no-auth-warning" }.Concat(args)) info.ArgumentList.Add(a);
        info.Environment["REDISCLI_AUTH"] = Password;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // e.g. a cluster that never joins
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"redis-cli {string.Join(' ', args)} still running after 60 s: {await output}{await error}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"redis-cli {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        return await output;
    }
}
