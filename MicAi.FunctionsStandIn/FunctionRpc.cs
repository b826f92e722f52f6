using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace MicAi.FunctionsStandIn;

/// <summary>
/// The Functions host↔worker gRPC contract, taken from the worker's own Worker.Grpc assembly: its generated types are
/// internal, but the public static <c>FunctionRpcReflection.Descriptor</c> is enough to parse and write messages.
/// Messages travel as proto3 JSON in the tests, which keeps the stand-in host small and readable.
/// </summary>
public static class FunctionRpc
{
    private const string ReflectionType =
        "Microsoft.Azure.Functions.Worker.Grpc.Messages.FunctionRpcReflection, Microsoft.Azure.Functions.Worker.Grpc";

    public static readonly MessageDescriptor StreamingMessage = LoadStreamingMessage();

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private static readonly Marshaller<IMessage> Marshaller = Marshallers.Create(
        (IMessage m) => m.ToByteArray(),
        bytes => StreamingMessage.Parser.ParseFrom(bytes));

    public static readonly Method<IMessage, IMessage> EventStream = new(
        MethodType.DuplexStreaming, "AzureFunctionsRpcMessages.FunctionRpc", "EventStream", Marshaller, Marshaller);

    public static IMessage ToMessage(JsonObject json) => JsonParser.Default.Parse(json.ToJsonString(), StreamingMessage);

    public static JsonObject ToJson(IMessage message) => (JsonObject)JsonNode.Parse(Formatter.Format(message))!;

    private static MessageDescriptor LoadStreamingMessage()
    {
        // Fails loudly at start if the worker package ever renames its generated reflection class.
        var type = Type.GetType(ReflectionType, throwOnError: true)!;
        var file = (FileDescriptor)type.GetProperty("Descriptor")!.GetValue(null)!;
        return file.MessageTypes.Single(m => m.Name == "StreamingMessage");
    }
}

/// <summary>The shape Grpc.AspNetCore expects from generated service code: a base class that binds its methods.</summary>
[BindServiceMethod(typeof(FunctionRpcBase), nameof(BindService))]
public abstract class FunctionRpcBase
{
    public abstract Task EventStream(IAsyncStreamReader<IMessage> requests, IServerStreamWriter<IMessage> responses, ServerCallContext context);

    public static void BindService(ServiceBinderBase binder, FunctionRpcBase? service) =>
        binder.AddMethod(FunctionRpc.EventStream, service is null ? null : service.EventStream);
}
