using System.Collections.Concurrent;
using System.Diagnostics;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Deployment.Support;

/// <summary>
/// A process started from the mounted image the way a container engine starts one (bin/lib/container-exec): PID 1
/// of its own PID namespace, chrooted, as the image's user, in its WORKDIR, with exactly the container's environment.
/// </summary>
public sealed class ContainerProcess : IAsyncDisposable
{
    private readonly Process launcher;
    private readonly ConcurrentQueue<string> output = new();

    private ContainerProcess(Process launcher, ContainerUser user, IReadOnlyDictionary<string, string> environment)
    {
        this.launcher = launcher;
        User = user;
        Environment = environment;
    }

    public ContainerUser User { get; }
    public IReadOnlyDictionary<string, string> Environment { get; }
    public bool HasExited => launcher.HasExited;
    public int ExitCode => launcher.ExitCode;
    public string Output => string.Join('\n', output);

    /// <summary>
    /// Starts <paramref name="command"/> (null: the image's CMD) after the image's ENTRYPOINT, with the run's
    /// variables over the image's ENV and <paramref name="binds"/> (<c>SRC:DEST[:ro]</c>) mounted.
    /// </summary>
    public static ContainerProcess Start(
        ContainerImage image, IReadOnlyList<string>? command, IReadOnlyDictionary<string, string?> run, IEnumerable<string> binds)
    {
        var user = image.ResolveUser();
        var environment = image.Environment(run);
        var info = new ProcessStartInfo(RepoFiles.PathOf("bin/lib/container-exec"))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { image.Root, $"{user.Uid}:{user.Gid}", image.WorkingDir }) info.ArgumentList.Add(arg);
        foreach (var bind in binds) { info.ArgumentList.Add("--bind"); info.ArgumentList.Add(bind); }
        info.ArgumentList.Add("--");
        foreach (var arg in image.Argv(command)) info.ArgumentList.Add(arg);

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start bin/lib/container-exec");
        var container = new ContainerProcess(process, user, environment);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) container.output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) container.output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // The environment goes through stdin, so secrets never appear on a command line.
        process.StandardInput.Write(string.Concat(environment.Select(p => $"{p.Key}={p.Value}\0")));
        process.StandardInput.Close();
        return container;
    }

    /// <summary>The container's PID 1 as this machine numbers it: the one child of the launcher's unshare.</summary>
    public int Pid1
    {
        get
        {
            var children = File.ReadAllText($"/proc/{launcher.Id}/task/{launcher.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(Assert.Single(children));
        }
    }

    /// <summary>Real, effective, saved and file-system uid of PID 1, from /proc.</summary>
    public IReadOnlyList<int> Pid1Uids() =>
        File.ReadLines($"/proc/{Pid1}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal))[4..]
            .Split('\t', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

    /// <summary>
    /// Runs a command inside the running container as an engine's exec does (the HEALTHCHECK runs this way): in its
    /// PID and mount namespaces and root, in its working directory, as its user, with its environment.
    /// </summary>
    public Task<ProcessRun> ExecAsync(IReadOnlyList<string> command, TimeSpan timeout)
    {
        // Only the container's variables: every one inherited from this test process is unset.
        var env = System.Environment.GetEnvironmentVariables().Keys.Cast<string>().ToDictionary(k => k, _ => (string?)null);
        foreach (var (k, v) in Environment) env[k] = v;
        return ProcessRun.RunAsync("nsenter",
            ["--target", Pid1.ToString(), "--pid", "--mount", "--root", "--wd", "--setuid", User.Uid.ToString(), "--setgid", User.Gid.ToString(), "--", .. command],
            env, timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await launcher.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"still running after {timeout}:\n{Output}"); }
        return launcher.ExitCode;
    }

    /// <summary>SIGTERM to the container's PID 1, as <c>docker stop</c> sends it, then the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!launcher.HasExited) Posix.Kill(Pid1, Posix.SIGTERM);
        return await WaitForExitAsync(timeout);
    }

    /// <summary>Whatever is left dies with the launcher (unshare --kill-child).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!launcher.HasExited)
        {
            launcher.Kill(entireProcessTree: true);
            await launcher.WaitForExitAsync();
        }
        launcher.Dispose();
    }
}
