using System.Diagnostics;
using System.Text;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Deployment.Support;

/// <summary>
/// The published MicAi.Host started with a deployment file's exact command line (argv[0] = dotnet) from the
/// publish folder, as the container's WORKDIR /app, with the variables a platform would inject.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private HostProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>
    /// The image's ENV, then what a platform injects: secrets standing in for an operator's (prod accepts them: not
    /// dev defaults, not change-me), this test's database and Redis prefix, and a free port in place of 8000.
    /// </summary>
    public static Dictionary<string, string?> ProdEnvironment(TestDatabase db, int port)
    {
        var env = DockerfileModel.Load().Env.ToDictionary(p => p.Key, p => (string?)p.Value.Trim('"'));
        foreach (var (k, v) in Platform(db, port)) env[k] = v;
        return env;
    }

    private static Dictionary<string, string?> Platform(TestDatabase db, int port) => new()
    {
        ["MICAI_APP_ENV"] = "prod",
        ["MICAI_DATABASE_URL"] = db.Url,
        ["MICAI_REDIS_URL"] = TestServers.RedisUrl,
        ["MICAI_REDIS_KEY_PREFIX"] = db.Name,
        ["MICAI_ADMIN_API_KEY"] = "deploy-test-admin-key",
        ["MICAI_WHATSAPP_VERIFY_TOKEN"] = "deploy-test-verify-token",
        ["MICAI_WHATSAPP_ACCESS_TOKEN"] = "deploy-test-access-token",
        ["MICAI_WHATSAPP_PHONE_NUMBER_ID"] = "106540352242922",
        ["MICAI_WHATSAPP_APP_SECRET"] = "deploy-test-app-secret",
        // Nothing may leave the machine: Graph calls (none expected) would go to a closed loopback port.
        ["MICAI_WHATSAPP_GRAPH_BASE_URL"] = "http://127.0.0.1:9",
        ["MICAI_OUTBOUND_REPLY_ENABLED"] = "false",
        ["MICAI_ROLE"] = null,
        ["PORT"] = port.ToString(),
    };

    public static HostProcess Start(IReadOnlyList<string> argv, IDictionary<string, string?> env)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = PublishedHost.Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1)) info.ArgumentList.Add(arg);
        foreach (var (k, v) in env)
            if (v is null) info.Environment.Remove(k); else info.Environment[k] = v;

        var process = new Process { StartInfo = info };
        var host = new HostProcess(process, int.Parse(env["PORT"]!));
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (host.output) host.output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (host.output) host.output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Polls GET /health until 200; fails with the process output if it exits or time runs out.</summary>
    public async Task WaitForHealthAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new Xunit.Sdk.XunitException($"Host exited with {process.ExitCode} before /health answered:\n{Output}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"/health did not answer 200 within {timeout}:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new Xunit.Sdk.XunitException($"Host still running after {timeout}:\n{Output}"); }
        return process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as Render and compose do on stop, and returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
            await kill.WaitForExitAsync();
        }
        return await WaitForExitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
