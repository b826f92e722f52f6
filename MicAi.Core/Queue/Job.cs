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
/// the attempt number, and when it was first enqueued.
/// </summary>
public sealed record Job(string Id, string Type, string Key, int Attempt, DateTimeOffset EnqueuedAt)
{
    public static Job New(string type, string key, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now).ToString("N"), type, key, 1, now);

    public Job NextAttempt() => this with { Attempt = Attempt + 1 };

    public NameValueEntry[] ToFields() =>
    [
        new("id", Id), new("type", Type), new("key", Key), new("attempt", Attempt),
        new("at", EnqueuedAt.ToUnixTimeMilliseconds()),
    ];

    /// <summary>Null when the entry is not one of ours (a poison entry is acked and dropped, never retried).</summary>
    public static Job? FromFields(NameValueEntry[] fields)
    {
        string? id = null, type = null, key = null;
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
            }
        }
        return id is null || type is null || key is null ? null : new Job(id, type, key, attempt, DateTimeOffset.FromUnixTimeMilliseconds(at));
    }

    public string Serialize() => System.Text.Json.JsonSerializer.Serialize(this, QueueJson.Default.Job);

    public static Job? Deserialize(string json) => System.Text.Json.JsonSerializer.Deserialize(json, QueueJson.Default.Job);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Job))]
internal sealed partial class QueueJson : System.Text.Json.Serialization.JsonSerializerContext;
