using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;

namespace MicAi.FunctionsStandIn;

/// <summary>
/// The host's side of the one duplex stream a worker opens: messages to the worker go through a channel, replies
/// complete the waiter registered for them (keyed by message kind, plus the function or invocation id).
/// </summary>
public sealed class WorkerConnection
{
    private readonly Channel<IMessage> outbound = Channel.CreateUnbounded<IMessage>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> waiters = new();
    private readonly TaskCompletionSource<string> started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<JsonObject> Logs { get; } = new();

    /// <summary>Completes with the worker id from StartStream.</summary>
    public Task<string> Started => started.Task;

    public void Fail(Exception error)
    {
        started.TrySetException(error);
        foreach (var waiter in waiters.Values) waiter.TrySetException(error);
    }

    /// <summary>Registers the waiter before sending, so a fast reply is never missed.</summary>
    public async Task<JsonObject> RequestAsync(string kind, JsonObject body, string replyKey, TimeSpan timeout, CancellationToken ct)
    {
        var waiter = waiters.GetOrAdd(replyKey, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await outbound.Writer.WriteAsync(FunctionRpc.ToMessage(new JsonObject { [kind] = body }), ct);
            return await waiter.Task.WaitAsync(timeout, ct);
        }
        finally { waiters.TryRemove(replyKey, out _); }
    }

    public ValueTask SendAsync(string kind, JsonObject body, CancellationToken ct) =>
        outbound.Writer.WriteAsync(FunctionRpc.ToMessage(new JsonObject { [kind] = body }), ct);

    public async Task RunAsync(IAsyncStreamReader<IMessage> requests, IServerStreamWriter<IMessage> responses, CancellationToken ct)
    {
        if (!await requests.MoveNext(ct)) return;
        var first = FunctionRpc.ToJson(requests.Current);
        started.TrySetResult(first["startStream"]?["workerId"]?.GetValue<string>() ?? throw new InvalidOperationException($"Expected StartStream, got {first}"));

        var pump = PumpAsync(responses, ct);
        while (await requests.MoveNext(ct)) Receive(FunctionRpc.ToJson(requests.Current));
        await pump;
    }

    private async Task PumpAsync(IServerStreamWriter<IMessage> responses, CancellationToken ct)
    {
        try { await foreach (var message in outbound.Reader.ReadAllAsync(ct)) await responses.WriteAsync(message, ct); }
        catch (OperationCanceledException) { }
    }

    private void Receive(JsonObject message)
    {
        if (message["rpcLog"] is JsonObject log) { Logs.Enqueue(log); return; }
        var key = ReplyKey(message);
        if (key is not null && waiters.TryGetValue(key, out var waiter)) waiter.TrySetResult(message);
    }

    private static string? ReplyKey(JsonObject message)
    {
        foreach (var (kind, body) in message)
        {
            if (body is not JsonObject reply) continue;
            return kind switch
            {
                "workerInitResponse" or "functionMetadataResponse" => kind,
                "functionLoadResponse" => $"{kind}:{reply["functionId"]?.GetValue<string>()}",
                "invocationResponse" => $"{kind}:{reply["invocationId"]?.GetValue<string>()}",
                _ => null,
            };
        }
        return null;
    }
}

/// <summary>The gRPC service the worker connects to; one worker per stand-in host.</summary>
public sealed class FunctionRpcService(WorkerConnection connection) : FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<IMessage> requests, IServerStreamWriter<IMessage> responses, ServerCallContext context) =>
        connection.RunAsync(requests, responses, context.CancellationToken);
}
