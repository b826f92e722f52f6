using System.Collections.Concurrent;
using System.Diagnostics;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// The published MicAi.Host started as a real OS process (bin/test publishes it and exports MICAI_TEST_HOST_DIR;
/// a plain build output is used when run outside bin/test).
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private HostProcess(Process process, string role, int? port)
    {
        this.process = process;
        Role = role;
        Port = port;
    }

    public string Role { get; }
    public int? Port { get; }
    public int Pid => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;
    public string Output => string.Join('\n', output);
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static string HostDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("MICAI_TEST_HOST_DIR") is { Length: > 0 } published) return published;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MicAi.sln"))) dir = dir.Parent;
            return dir is null
                ? throw new InvalidOperationException("MICAI_TEST_HOST_DIR is not set and the repository root was not found")
                : Path.Combine(dir.FullName, "MicAi.Host", "bin", "Debug", "net10.0");
        }
    }

    /// <summary>
    /// A loopback port for a child process to listen on: outside the kernel's ephemeral range, free now, and never
    /// handed to another caller in this test run (see <see cref="MicAi.Bench.LoopbackPorts"/>). Port 0 is only for
    /// servers that bind in this process and read their port back.
    /// </summary>
    public static int FreePort() => MicAi.Bench.LoopbackPorts.Shared.Next();

    /// <summary>Starts <c>dotnet MicAi.Host.dll {arguments}</c> with exactly the given MICAI_/PORT environment.</summary>
    public static HostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, int? port = null)
    {
        var env = new Dictionary<string, string?>(environment);
        if (port is not null) env["PORT"] = port.Value.ToString();
        return StartCommand(["dotnet", Path.Combine(HostDirectory, "MicAi.Host.dll"), .. arguments], env);
    }

    /// <summary>
    /// Starts a command line as a deployment file writes it (argv[0] = dotnet, relative to the publish folder like
    /// the container's WORKDIR). The parent's MICAI_ and PORT variables are dropped; a null value removes a variable.
    /// </summary>
    public static HostProcess StartCommand(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(argv[0]) { WorkingDirectory = HostDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in argv.Skip(1)) info.ArgumentList.Add(a);
        // The caller's exporters too (OTEL_*): a test points a child at its own receiver or at none.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MICAI_", StringComparison.Ordinal) || k == "PORT"
                     || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        foreach (var (k, v) in environment)
            if (v is null) info.Environment.Remove(k); else info.Environment[k] = v;
        int? port = environment.TryGetValue("PORT", out var p) && int.TryParse(p, out var n) ? n : null;
        var process = Process.Start(info)!;
        var host = new HostProcess(process, string.Join(' ', argv.Skip(1)), port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) host.output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host.output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// An api (or another HTTP role) started, its start-up migration check passed (a test may use the tables). Redis may
    /// still be unreachable: some tests start it so on purpose.
    /// </summary>
    public static async Task<HostProcess> StartApiAsync(IReadOnlyDictionary<string, string?> environment, string[]? arguments = null)
    {
        var host = Start(arguments ?? ["api"], environment, FreePort());
        await host.WaitForAsync("ready", TimeSpan.FromSeconds(30), PastTheSchemaGate);
        return host;
    }

    /// <summary>Until GET /health (liveness: answered from launch, before the start-up migration check passes) succeeds.</summary>
    public async Task WaitForHealthAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await WaitForHealthAsync(timeout, http);
    }

    /// <summary>Until GET /health through <paramref name="http"/> (e.g. a proxy in front) succeeds; fails if the process exits first.</summary>
    public Task WaitForHealthAsync(TimeSpan timeout, HttpClient http) => WaitForAsync("health", timeout, http, r => r.IsSuccessStatusCode);

    /// <summary>Until GET /ready answers 200: the schema check passed and Postgres and Redis answer.</summary>
    public Task WaitForReadyAsync(TimeSpan timeout) => WaitForAsync("ready", timeout, r => r.IsSuccessStatusCode);

    /// <summary>
    /// /ready answered by its endpoint (200, or 503 naming what is down), not by the start-up gate (a ProblemDetails 503
    /// while the schema check has not passed).
    /// </summary>
    private static bool PastTheSchemaGate(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType == "application/json";

    private async Task WaitForAsync(string path, TimeSpan timeout, Func<HttpResponseMessage, bool> done)
    {
        // Longer than the gate's hold (5 s), so a request held while Postgres is awaited ends with the gate's 503.
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(8) };
        await WaitForAsync(path, timeout, http, done);
    }

    private async Task WaitForAsync(string path, TimeSpan timeout, HttpClient http, Func<HttpResponseMessage, bool> done)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited) throw new InvalidOperationException($"{Role} exited with {process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(path);
                if (done(response)) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Role} did not answer /{path} as expected within {timeout}:\n{Output}");
    }

    /// <summary>Until the process has printed <paramref name="text"/>; fails if it exits or the time runs out first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited) throw new InvalidOperationException($"{Role} exited with {process.ExitCode} before \"{text}\":\n{Output}");
            if (DateTime.UtcNow >= until) throw new TimeoutException($"no \"{text}\" within {timeout}:\n{Output}");
            await Task.Delay(100);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"{Role} still running after {timeout}:\n{Output}"); }
        return process.ExitCode;
    }

    /// <summary>SIGTERM, as Render and compose stop a container.</summary>
    public void Terminate() => Posix.Kill(process.Id, Posix.SIGTERM);

    /// <summary>SIGTERM, then the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!process.HasExited) Terminate();
        return await WaitForExitAsync(timeout);
    }

    /// <summary>SIGKILL: the process dies mid-work, as in a crash.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Terminate();
            try { await WaitForExitAsync(TimeSpan.FromSeconds(10)); }
            catch (TimeoutException) { process.Kill(entireProcessTree: true); }
        }
        process.Dispose();
    }
}

internal static partial class Posix
{
    public const int SIGTERM = 15;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Kill(int pid, int signal);
}
