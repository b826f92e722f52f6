using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicAi.FunctionsStandIn;

/// <summary>
/// A stand-in for the Azure Functions host: a gRPC server on loopback h2c that starts the published worker as a real
/// process, completes init, metadata and load, and invokes functions. Between metadata and load it applies the real
/// host's load-time rules (<see cref="HostLoadRules"/>: host.json, reserved and conflicting routes, route templates,
/// authLevel, timer schedules resolved from the app settings it gives the worker) and refuses the app as the host
/// would. HTTP invocations are an InvocationRequest paired with a real HTTP request to the worker's own Kestrel
/// (header <c>x-ms-invocation-id</c>), so the request bytes reach Core untouched; the request must be one the host's
/// router sends to that function. It does not do function keys, the front end's forwarding or timer scheduling.
/// </summary>
public sealed class FunctionsTestHost : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication server;
    private readonly WorkerConnection connection;
    private readonly Process worker;
    private readonly StringBuilder output;
    private readonly HttpClient http;

    private FunctionsTestHost(WebApplication server, WorkerConnection connection, Process worker, StringBuilder output, Uri workerHttpUri,
        IReadOnlyDictionary<string, JsonObject> functions, HostLoad load)
    {
        Load = load;
        this.server = server;
        this.output = output;
        this.connection = connection;
        this.worker = worker;
        WorkerHttpUri = workerHttpUri;
        Functions = functions;
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = workerHttpUri,
            Timeout = ReplyTimeout,
        };
    }

    public Uri WorkerHttpUri { get; }

    /// <summary>The metadata the worker reported, by function name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Functions { get; }

    /// <summary>What the host rules made of the app: its HTTP routes (with host.json's prefix).</summary>
    public HostLoad Load { get; }

    /// <summary>The worker process's id (the bench reads its CPU and threads from /proc).</summary>
    public int WorkerPid => worker.Id;

    /// <summary>True once the worker process has ended (it stops itself when its settings change, see SettingsRecheck).</summary>
    public bool WorkerExited => worker.HasExited;

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the worker to end; true if it did. Unlike <see cref="WorkerExited"/>,
    /// a true here also means its stdout and stderr were read to the end, so <see cref="Diagnostics"/> holds its last
    /// words (the process can be seen exited while its final lines are still in the pipe).
    /// </summary>
    public async Task<bool> WaitForWorkerExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await worker.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>How long spawn plus handshake took; the tests report it.</summary>
    public TimeSpan StartupTime { get; private init; }

    public static async Task<FunctionsTestHost> StartAsync(string appDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var connection = new WorkerConnection();
        var server = await StartServerAsync(connection, ct);
        var endpoint = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var output = new StringBuilder();
        var worker = Spawn(appDirectory, endpoint, environment, output, connection);
        try
        {
            await connection.Started.WaitAsync(ReplyTimeout, ct);
            var init = await connection.RequestAsync("workerInitRequest", new JsonObject
            {
                ["hostVersion"] = "4.0.0-micai-tests",
                ["functionAppDirectory"] = appDirectory,
                ["workerDirectory"] = appDirectory,
                ["capabilities"] = new JsonObject(),
                ["logCategories"] = new JsonObject(),
            }, "workerInitResponse", ReplyTimeout, ct);
            EnsureSuccess(init["workerInitResponse"]!["result"], "WorkerInit", output);
            var httpUri = new Uri(init["workerInitResponse"]!["capabilities"]!["HttpUri"]!.GetValue<string>());
            // The worker reports its Kestrel address at init, which can come before Kestrel accepts connections.
            await WaitUntilListeningAsync(httpUri, ct);

            var metadata = await connection.RequestAsync("functionsMetadataRequest", new JsonObject { ["functionAppDirectory"] = appDirectory },
                "functionMetadataResponse", ReplyTimeout, ct);
            var reported = metadata["functionMetadataResponse"]!["functionMetadataResults"]!.AsArray().Cast<JsonObject>().ToList();
            // The host validates what the worker indexed before it loads anything, against host.json and the app settings.
            var hostJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(appDirectory, "host.json"), ct))!;
            var hostLoad = HostLoadRules.Load(reported.Select(FunctionDefinition.FromWorker), hostJson, key => environment.GetValueOrDefault(key));
            hostLoad.ThrowIfAnyError();
            var functions = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var function in reported)
            {
                var id = function["functionId"]!.GetValue<string>();
                var loaded = await connection.RequestAsync("functionLoadRequest", new JsonObject { ["functionId"] = id, ["metadata"] = function.DeepClone() },
                    $"functionLoadResponse:{id}", ReplyTimeout, ct);
                EnsureSuccess(loaded["functionLoadResponse"]!["result"], $"FunctionLoad {function["name"]}", output);
                functions[function["name"]!.GetValue<string>()] = function;
            }

            return new FunctionsTestHost(server, connection, worker, output, httpUri, functions, hostLoad) { StartupTime = clock.Elapsed };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync(CancellationToken.None); // also drains the redirected output
            await server.DisposeAsync();
            if (ex is FunctionsHostRefusedException) throw;
            throw new WorkerStartException(worker.ExitCode, Snapshot(output), ex);
        }
    }

    /// <summary>
    /// Runs an HTTP-triggered function with a real request; returns the HTTP response and the invocation result. The
    /// host's router must send this method and path to <paramref name="function"/>, or the call fails: a URL that
    /// works only because a test named the function would be a 404 in production.
    /// </summary>
    public async Task<(HttpResponseMessage Response, InvocationResult Invocation)> InvokeHttpAsync(string function, HttpRequestMessage request, CancellationToken ct)
    {
        var invocationId = Guid.NewGuid().ToString();
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        var routed = Load.Route(request.Method.Method, path);
        if (routed != function)
            throw new InvalidOperationException($"The host routes {request.Method} {path} to {routed ?? "no function (404)"}, not to {function}");
        var url = new Uri(WorkerHttpUri, request.RequestUri!);
        request.RequestUri = url;
        request.Headers.Add("x-ms-invocation-id", invocationId);
        var data = new JsonObject { ["http"] = new JsonObject { ["method"] = request.Method.Method, ["url"] = url.ToString() } };

        // The worker pairs the two by invocation id; either may arrive first.
        var invocation = InvokeAsync(function, invocationId, data, ct);
        var response = await http.SendAsync(request, ct);
        return (response, await invocation);
    }

    /// <summary>Runs a timer-triggered function once, as the host does when its schedule fires.</summary>
    public Task<InvocationResult> InvokeTimerAsync(string function, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var timerInfo = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = now.AddSeconds(-5), Next = now.AddSeconds(5), LastUpdated = now.AddSeconds(-5) },
            IsPastDue = false,
        });
        return InvokeAsync(function, Guid.NewGuid().ToString(), new JsonObject { ["json"] = timerInfo }, ct);
    }

    /// <summary>Worker stdout and every RpcLog so far, for assertion messages.</summary>
    public string Diagnostics()
    {
        var logs = string.Join('\n', connection.Logs.Select(l => $"[{l["level"]}] {l["category"]}: {l["message"]} {l["exception"]?["message"]}"));
        return $"{Snapshot(output)}\n--- worker logs ---\n{logs}";
    }

    private async Task<InvocationResult> InvokeAsync(string function, string invocationId, JsonObject triggerData, CancellationToken ct)
    {
        var metadata = Functions.TryGetValue(function, out var m) ? m : throw new ArgumentException($"No function {function}; the worker has {string.Join(", ", Functions.Keys)}");
        var reply = await connection.RequestAsync("invocationRequest", new JsonObject
        {
            ["invocationId"] = invocationId,
            ["functionId"] = metadata["functionId"]!.GetValue<string>(),
            ["inputData"] = new JsonArray(new JsonObject { ["name"] = TriggerParameter(metadata), ["data"] = triggerData }),
            ["triggerMetadata"] = new JsonObject(),
            // The worker dereferences traceContext unconditionally.
            ["traceContext"] = new JsonObject
            {
                ["traceParent"] = $"00-{Guid.NewGuid():N}-{Guid.NewGuid().ToString("N")[..16]}-01",
                ["traceState"] = "",
                ["attributes"] = new JsonObject(),
            },
        }, $"invocationResponse:{invocationId}", ReplyTimeout, ct);
        var result = reply["invocationResponse"]!["result"]!;
        var logs = connection.Logs.Where(l => l["invocationId"]?.GetValue<string>() == invocationId)
            .Select(l => l["message"]!.GetValue<string>()).ToList();
        return new InvocationResult(result["status"]!.GetValue<string>(), result["exception"]?["message"]?.GetValue<string>(), logs);
    }

    private static string TriggerParameter(JsonObject metadata) =>
        metadata["rawBindings"]!.AsArray()
            .Select(b => JsonNode.Parse(b!.GetValue<string>())!)
            .Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))["name"]!.GetValue<string>();

    private static async Task<WebApplication> StartServerAsync(WorkerConnection connection, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = null);
        builder.Services.AddSingleton(connection);
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(ct);
        return app;
    }

    private static Process Spawn(string appDirectory, string endpoint, IReadOnlyDictionary<string, string> environment, StringBuilder output, WorkerConnection connection)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(appDirectory, "MicAi.Functions.dll"),
                     "--functions-uri", endpoint.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal),
                     "--functions-worker-id", Guid.NewGuid().ToString(),
                     "--functions-request-id", Guid.NewGuid().ToString(),
                     "--functions-grpc-max-message-length", int.MaxValue.ToString(CultureInfo.InvariantCulture),
                 })
            start.ArgumentList.Add(arg);

        // Only what the test gives: no inherited MICAI_* or URL settings leak into the worker.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MICAI_", StringComparison.Ordinal) || k.Contains("URLS", StringComparison.Ordinal) || k.EndsWith("HTTP_PORTS", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Exited += (_, _) => connection.Fail(new InvalidOperationException($"The worker exited with code {process.ExitCode}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilListeningAsync(Uri uri, CancellationToken ct)
    {
        var until = DateTime.UtcNow + ReplyTimeout;
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(uri.Host, uri.Port, ct);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50, ct);
            }
        }
    }

    private static void EnsureSuccess(JsonNode? result, string step, StringBuilder output)
    {
        if (result?["status"]?.GetValue<string>() == "Success") return;
        throw new InvalidOperationException($"{step} failed: {result?["exception"]?["message"]}\n{Snapshot(output)}");
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output) return output.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!worker.HasExited)
        {
            try { await connection.SendAsync("workerTerminate", new JsonObject { ["gracePeriod"] = "1s" }, CancellationToken.None); }
            catch (InvalidOperationException) { }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await worker.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { worker.Kill(entireProcessTree: true); }
        }
        worker.Dispose();
        await server.DisposeAsync();
    }
}

/// <summary>The worker died or failed the handshake; carries its exit code and everything it printed.</summary>
public sealed class WorkerStartException(int exitCode, string output, Exception inner)
    : Exception($"The Functions worker did not start (exit code {exitCode}): {inner.Message}\n{output}", inner)
{
    public int ExitCode { get; } = exitCode;
    public string Output { get; } = output;
}

/// <summary>What the worker answered for one invocation, and the log lines it wrote for it.</summary>
public sealed record InvocationResult(string Status, string? Exception, IReadOnlyList<string> Logs)
{
    public bool Succeeded => Status == "Success";
}
