using System.Diagnostics;
using StackExchange.Redis;

namespace MicAi.Bench;

/// <summary>
/// The queue's Redis work without MicAi's layer, as the ceiling the queue part is compared with: XADD of entries with
/// the same fields and sizes as a job (pipelined in the same chunks, the same number of chunks in flight), and
/// consumers that XREADGROUP up to C entries (no BLOCK, as JobStream) and XACK them — nothing else: no job parsing,
/// handler dispatch, XDEL, wake-up publish or heartbeat. Same Redis, same connection (TLS and ACL user on the prod rig).
/// </summary>
public sealed class BareStream(IConnectionMultiplexer redis, string key)
{
    private const string Group = "bare";
    private const int Chunk = 1000;

    public async Task CreateAsync() => await redis.GetDatabase().StreamCreateConsumerGroupAsync(key, Group, "0-0", createStream: true);

    public async Task<TimeSpan> EnqueueAsync(int count)
    {
        var db = redis.GetDatabase();
        var start = Stopwatch.GetTimestamp();
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var chunks = new List<Task>();
        for (var i = 0; i < count; i += Chunk)
        {
            var adds = Enumerable.Range(i, Math.Min(Chunk, count - i)).Select(n => db.StreamAddAsync(key,
            [
                new NameValueEntry("id", Guid.NewGuid().ToString("N")), new NameValueEntry("type", "bench-noop"),
                new NameValueEntry("key", "k" + n), new NameValueEntry("attempt", 1), new NameValueEntry("at", at),
            ])).ToArray();
            chunks.Add(Task.WhenAll(adds));
            if (chunks.Count == 4) { await Task.WhenAll(chunks); chunks.Clear(); }
        }
        await Task.WhenAll(chunks);
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>M consumers read and ack until <paramref name="count"/> entries are acked; time to the last ack.</summary>
    public async Task<TimeSpan> ConsumeAsync(int count, int consumers, int batch)
    {
        var db = redis.GetDatabase();
        long acked = 0, finishedAt = 0;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, consumers).Select(c => Task.Run(async () =>
        {
            var idleSince = Stopwatch.GetTimestamp();
            while (Interlocked.Read(ref acked) < count)
            {
                var entries = await db.StreamReadGroupAsync(key, Group, $"bare-{c}", ">", batch);
                if (entries.Length == 0)
                {
                    if (Stopwatch.GetElapsedTime(idleSince) > TimeSpan.FromSeconds(10)) throw new TimeoutException($"bare queue: {acked} of {count} acked");
                    await Task.Delay(1); // the producer is behind (both at once): poll again shortly
                    continue;
                }
                await db.StreamAcknowledgeAsync(key, Group, entries.Select(e => e.Id).ToArray());
                idleSince = Stopwatch.GetTimestamp();
                if (Interlocked.Add(ref acked, entries.Length) >= count) Interlocked.CompareExchange(ref finishedAt, idleSince, 0);
            }
        })));
        return Stopwatch.GetElapsedTime(start, finishedAt);
    }

    /// <summary>Entries still pending (read, not acked) in the group.</summary>
    public async Task<long> PendingAsync() => (await redis.GetDatabase().StreamPendingAsync(key, Group)).PendingMessageCount;
}
