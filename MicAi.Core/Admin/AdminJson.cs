using System.Text.Json;
using System.Text.Json.Serialization;
using MicAi.Core.Agents;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;

namespace MicAi.Core.Admin;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AgentRule[]))]
[JsonSerializable(typeof(AgentInput))]
[JsonSerializable(typeof(AgentView))]
[JsonSerializable(typeof(AgentPage))]
[JsonSerializable(typeof(ContactInput))]
[JsonSerializable(typeof(ContactView))]
[JsonSerializable(typeof(ContactPage))]
[JsonSerializable(typeof(TurnPage))]
[JsonSerializable(typeof(ScheduleInput))]
[JsonSerializable(typeof(ScheduleView))]
[JsonSerializable(typeof(SchedulePage))]
[JsonSerializable(typeof(OutboundPage))]
[JsonSerializable(typeof(RuleInput))]
[JsonSerializable(typeof(AgentRule))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(BindResult))]
[JsonSerializable(typeof(AdminStats))]
[JsonSerializable(typeof(OutboundState))]
public sealed partial class AdminJson : JsonSerializerContext;

public sealed record BindResult(string Status, string WaId, long AgentId);

public sealed record QueueStats(long Length, long Pending, long Delayed);

public sealed record AdminStats(
    QueueStats Queue,
    Dictionary<string, long> Inbound,
    Dictionary<string, long> Outbound,
    long DeadJobs,
    bool OutboundEnvEnabled,
    bool OutboundEffective,
    bool OutboundPaused,
    PipelineStats? Pipeline = null);
