using System.Diagnostics;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// A Postgres cluster of a test's own, in a temp dir on a free port, that the test may stop and start (the shared
/// servers other tests use are never touched). Shaped like the shared one (bin/lib/postgres.sh): a random superuser
/// password, SCRAM and TLS only, with the rig's certificate (MICAI_TEST_TLS_DIR). Binaries come from
/// MICAI_TEST_PG_BIN; as root, the tools run as MICAI_TEST_PG_USER (Postgres refuses root).
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string root, data, bin, password = Guid.NewGuid().ToString("N");
    private readonly string? user;

    private PrivatePostgres(string root, string bin, string? user, int port)
    {
        this.root = root;
        this.bin = bin;
        this.user = user;
        data = Path.Combine(root, "data");
        Port = port;
    }

    public int Port { get; }
    public string Url => $"postgresql://postgres:{password}@127.0.0.1:{Port}/postgres?sslmode=verify-full&sslrootcert={TestServers.TlsFile("ca.crt")}";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("MICAI_TEST_PG_BIN") is { Length: > 0 } b ? b
            : Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderDescending().FirstOrDefault() ?? throw new InvalidOperationException("MICAI_TEST_PG_BIN is not set and no PostgreSQL was found");
        var user = Environment.GetEnvironmentVariable("MICAI_TEST_PG_USER") is { } u ? (u.Length > 0 ? u : null)
            : Environment.UserName == "root" ? "postgres" : null;
        var root = Path.Combine(Path.GetTempPath(), "micai-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0b111_111_111); // the postgres user creates the data dir inside
        var pg = new PrivatePostgres(root, bin, user, HostProcess.FreePort());
        // initdb runs as the postgres user and must read the password file; it is deleted as soon as the cluster exists.
        var passwordFile = Path.Combine(root, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, pg.password);
        try
        {
            await pg.RunAsync("initdb", "--pgdata", pg.data, "--username=postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}",
                "--encoding=UTF8", "--no-locale", "--no-sync");
        }
        finally { File.Delete(passwordFile); }
        await File.WriteAllTextAsync(Path.Combine(pg.data, "pg_hba.conf"), "hostssl all all 127.0.0.1/32 scram-sha-256\n");
        await File.AppendAllTextAsync(Path.Combine(pg.data, "postgresql.conf"),
            $"listen_addresses = '127.0.0.1'\nport = {pg.Port}\nunix_socket_directories = ''\nfsync = off\nsynchronous_commit = off\nmax_connections = 200\n" +
            $"ssl = on\nssl_cert_file = '{TestServers.TlsFile("server.crt")}'\nssl_key_file = '{TestServers.TlsFile("server.key")}'\npassword_encryption = 'scram-sha-256'\n");
        await pg.StartServerAsync();
        return pg;
    }

    public Task StartServerAsync() => RunAsync("pg_ctl", "--pgdata", data, "--log", Path.Combine(root, "server.log"), "--wait", "--timeout=60", "--silent", "start");

    /// <summary>Fast shutdown: open sessions are cut off, as when the database host goes away.</summary>
    public Task StopServerAsync() => RunAsync("pg_ctl", "--pgdata", data, "--mode=fast", "--wait", "--silent", "stop");

    private async Task RunAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(user is null ? Path.Combine(bin, tool) : "runuser")
        {
            WorkingDirectory = "/", RedirectStandardOutput = true, RedirectStandardError = true,
        };
        if (user is not null) foreach (var a in new[] { "-u", user, "--", Path.Combine(bin, tool) }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await output}{await error}");
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopServerAsync(); } catch (InvalidOperationException) { } // already stopped
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
