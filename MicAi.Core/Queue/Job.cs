using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>Job types. A job names the durable row it works on; the row, not the job, holds the data.</summary>
public static class JobTypes
{
    public const string Inbound = "inbound";   // Key = wamid
    public const string Send = "send";         // Key = outbound idempotency key
}

/// <summary>
/// The envelope on the stream. Small and flat so it fits retries and dead letters: a stable id across attempts,
/// the attempt number, when it was first enqueued, and the W3C <c>traceparent</c> of the span that enqueued it (null
/// when nothing was tracing), so the worker's span joins the message's trace on every attempt.
/// </summary>
public sealed record Job(string Id, string Type, string Key, int Attempt, DateTimeOffset EnqueuedAt, string? TraceParent = null)
{
    /// <summary>The stream field of <see cref="TraceParent"/>: the W3C header's own name.</summary>
    public const string TraceParentField = "traceparent";

    public static Job New(string type, string key, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now).ToString("N"), type, key, 1, now);

    public Job NextAttempt() => this with { Attempt = Attempt + 1 };

    public NameValueEntry[] ToFields() => TraceParent is null
        ? [new("id", Id), new("type", Type), new("key", Key), new("attempt", Attempt), new("at", EnqueuedAt.ToUnixTimeMilliseconds())]
        :
        [
            new("id", Id), new("type", Type), new("key", Key), new("attempt", Attempt), new("at", EnqueuedAt.ToUnixTimeMilliseconds()),
            new(TraceParentField, TraceParent),
        ];

    /// <summary>Null when the entry is not one of ours (a poison entry is acked and dropped, never retried).</summary>
    public static Job? FromFields(NameValueEntry[] fields)
    {
        string? id = null, type = null, key = null, traceParent = null;
        int attempt = 1;
        long at = 0;
        foreach (var f in fields)
        {
            switch ((string?)f.Name)
            {
                case "id": id = f.Value; break;
                case "type": type = f.Value; break;
                case "key": key = f.Value; break;
                case "attempt": _ = f.Value.TryParse(out attempt); break;
                case "at": _ = f.Value.TryParse(out at); break;
                case TraceParentField: traceParent = f.Value; break;
            }
        }
        return id is null || type is null || key is null ? null : new Job(id, type, key, attempt, DateTimeOffset.FromUnixTimeMilliseconds(at), traceParent);
    }

    public string Serialize() => System.Text.Json.JsonSerializer.Serialize(this, QueueJson.Default.Job);

    public static Job? Deserialize(string json) => System.Text.Json.JsonSerializer.Deserialize(json, QueueJson.Default.Job);
}

// Null trace parents are left out, so a delayed job reads the same with or without one (and the promote script needs no null check).
[System.Text.Json.Serialization.JsonSourceGenerationOptions(DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Job))]
internal sealed partial class QueueJson : System.Text.Json.Serialization.JsonSerializerContext;
