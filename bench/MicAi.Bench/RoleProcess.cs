using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace MicAi.Bench;

/// <summary>
/// One published MicAi.Host role as an OS process: when it started, when it said "Application started", its RSS and
/// CPU time from /proc, and the tail of its output (drained continuously so a chatty role never blocks on its pipe).
/// </summary>
public sealed partial class RoleProcess : IAsyncDisposable
{
    private const int TailLines = 60;
    private readonly Process process;
    private readonly Queue<string> tail = new();
    private readonly TaskCompletionSource<TimeSpan> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<TimeSpan> migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<TimeSpan> built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long launchedAt;
    private long lines;

    private RoleProcess(string name, Process process, long launchedAt, int? port)
    {
        Name = name;
        this.process = process;
        this.launchedAt = launchedAt;
        Port = port;
    }

    public string Name { get; }
    public int? Port { get; }
    public int Pid => process.Id;
    public bool HasExited => process.HasExited;
    public long OutputLines => Interlocked.Read(ref lines);
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string Tail { get { lock (tail) return string.Join('\n', tail); } }

    /// <summary>Time from launch to the generic host's "Application started" log line.</summary>
    public Task<TimeSpan> Started => started.Task;

    /// <summary>Time from launch to the Host's "MicAi {role} starting" line: runtime up, host built, before migrations.</summary>
    public TimeSpan? Built => built.Task.IsCompleted ? built.Task.Result : null;

    /// <summary>Time from launch to the start-up migration check's log line (every role runs it before serving).</summary>
    public TimeSpan? Migrated => migrated.Task.IsCompleted ? migrated.Task.Result : null;

    public TimeSpan SinceLaunch => Stopwatch.GetElapsedTime(launchedAt);

    public static RoleProcess Start(string hostDir, string role, IReadOnlyDictionary<string, string> environment, int? port, string? name = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = hostDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(hostDir, "MicAi.Host.dll"));
        info.ArgumentList.Add(role);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MICAI_", StringComparison.Ordinal) || k == "PORT").ToList())
            info.Environment.Remove(key);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        if (port is not null) info.Environment["PORT"] = port.Value.ToString(CultureInfo.InvariantCulture);

        var launchedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var role_ = new RoleProcess(name ?? role, process, launchedAt, port);
        process.OutputDataReceived += (_, e) => role_.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => role_.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return role_;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        Interlocked.Increment(ref lines);
        if (line.Contains("Application started", StringComparison.Ordinal)) started.TrySetResult(SinceLaunch);
        else if (line.Contains("Migrations applied", StringComparison.Ordinal)) migrated.TrySetResult(SinceLaunch);
        else if (line.Contains($"MicAi {Name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9')} starting", StringComparison.Ordinal)) built.TrySetResult(SinceLaunch);
        lock (tail)
        {
            tail.Enqueue(line);
            if (tail.Count > TailLines) tail.Dequeue();
        }
    }

    /// <summary>Polls GET <paramref name="path"/> until it answers 200; returns the time since launch.</summary>
    public async Task<TimeSpan> WaitForOkAsync(HttpClient http, string path, TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            ThrowIfExited();
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, path));
                if (response.IsSuccessStatusCode) return SinceLaunch;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(5);
        }
        throw new TimeoutException($"{Name} did not answer {path} within {timeout}:\n{Tail}");
    }

    public async Task<TimeSpan> WaitStartedAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(Started, Task.Delay(timeout));
        ThrowIfExited();
        return done == Started ? await Started : throw new TimeoutException($"{Name} did not start within {timeout}:\n{Tail}");
    }

    public void ThrowIfExited()
    {
        if (process.HasExited) throw new InvalidOperationException($"{Name} exited with {process.ExitCode}:\n{Tail}");
    }

    /// <summary>Resident set size in MB (VmRSS), or NaN once the process is gone.</summary>
    public double RssMb() => ProcStat.RssMb(Pid);

    /// <summary>User + system CPU seconds so far.</summary>
    public double CpuSeconds() => ProcStat.CpuSeconds(Pid);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>SIGTERM (as a platform stops a container), then SIGKILL if it lingers.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited) return;
        _ = Kill(process.Id, 15);
        try { await WaitForExitAsync(TimeSpan.FromSeconds(10)); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
