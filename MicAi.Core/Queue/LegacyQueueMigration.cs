using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>
/// Moves the work an older MicAi left under the names before hash tags (<see cref="LegacyRedisKeys"/>) into today's
/// keys: every stream entry, pending or not, and every delayed job. In a cluster the old and new names live in
/// different slots, so nothing here is one atomic step: each batch is copied first and removed from the old key after,
/// so a crash in between copies it again (a duplicate job, harmless: every handler is idempotent) and never loses it.
/// The old stream is deleted once empty (a delayed set that is empty is gone already). The Python mic.ai service left a
/// *list* of jobs at <c>micai:jobs</c>: it is drained oldest first, each item handed to <see cref="IPythonJobImporter"/>
/// and only then removed (a crash in between hands it over again: the import is idempotent), until the list is gone.
/// A key of any other type under an old name is not ours: it is logged once and left alone.
/// Run by every worker (with reclaim) and scheduler tick, so leftovers of old processes still running during a
/// rolling deploy follow within seconds; one process at a time moves (a short lock), and a run with nothing to move
/// costs two TYPE calls.
/// </summary>
public sealed class LegacyQueueMigration(
    IConnectionMultiplexer redis, RedisKeys keys, JobStream stream, IPythonJobImporter python, ILogger<LegacyQueueMigration> log)
{
    private const int Batch = 500;
    private const int MaxRounds = 200; // old processes still adding must not keep one run going forever
    private static readonly TimeSpan LockFor = TimeSpan.FromSeconds(30);
    private readonly string owner = $"{Heartbeats.ProcessName}-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly ConcurrentDictionary<string, bool> warned = new();

    // One key only (cluster-safe): an old process may have added an entry since the last batch was moved.
    private const string DeleteIfEmptyScript = """
        if redis.call('XLEN', KEYS[1]) == 0 then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    // One key only (cluster-safe): removes the oldest item only if it is still the one that was imported.
    private const string PopIfOldestScript = """
        if redis.call('LINDEX', KEYS[1], -1) == ARGV[1] then return redis.call('RPOP', KEYS[1]) end
        return false
        """;

    /// <summary>Moves what is there; returns how many stream entries and delayed jobs were moved.</summary>
    public async Task<(long Entries, long Delayed)> RunAsync(CancellationToken ct)
    {
        var db = redis.GetDatabase();
        var legacy = keys.Legacy;
        var types = await Task.WhenAll(db.KeyTypeAsync(legacy.Jobs), db.KeyTypeAsync(legacy.DelayedJobs));
        var drainPython = types[0] == RedisType.List;
        var moveJobs = drainPython || Ours(legacy.Jobs, types[0], RedisType.Stream);
        var moveDelayed = Ours(legacy.DelayedJobs, types[1], RedisType.SortedSet);
        if (!moveJobs && !moveDelayed) return (0, 0);
        if (!await db.LockTakeAsync(keys.LegacyMigration, owner, LockFor)) return (0, 0); // another process is moving
        try
        {
            if (drainPython) return (await DrainPythonListAsync(db, legacy.Jobs, ct), moveDelayed ? await MoveDelayedAsync(db, legacy.DelayedJobs, ct) : 0);
            var entries = moveJobs ? await MoveStreamAsync(db, legacy.Jobs, ct) : 0;
            var delayed = moveDelayed ? await MoveDelayedAsync(db, legacy.DelayedJobs, ct) : 0;
            if (entries + delayed > 0) QueueLog.LegacyMoved(log, entries, legacy.Jobs.ToString(), delayed, legacy.DelayedJobs.ToString());
            return (entries, delayed);
        }
        finally
        {
            await db.LockReleaseAsync(keys.LegacyMigration, owner);
        }
    }

    private bool Ours(RedisKey key, RedisType type, RedisType expected)
    {
        if (type == expected) return true;
        if (type != RedisType.None && warned.TryAdd(key.ToString(), true))
            QueueLog.LegacyKeyForeign(log, key.ToString(), type.ToString().ToLowerInvariant(), expected.ToString().ToLowerInvariant());
        return false;
    }

    private async Task<long> MoveStreamAsync(IDatabase db, RedisKey old, CancellationToken ct)
    {
        await stream.EnsureGroupAsync();
        long moved = 0;
        for (var round = 0; round < MaxRounds && !ct.IsCancellationRequested; round++)
        {
            var entries = await db.StreamRangeAsync(old, "-", "+", Batch);
            if (entries.Length == 0) break;
            // Copy, then delete: entries keep their fields (a reclaim count included); the runner drops foreign ones.
            await Task.WhenAll(entries.Where(e => e.Values.Length > 0).Select(e => db.StreamAddAsync(keys.Jobs, e.Values)));
            await db.StreamDeleteAsync(old, entries.Select(e => e.Id).ToArray());
            moved += entries.Length;
        }
        await db.ScriptEvaluateAsync(DeleteIfEmptyScript, [old]);
        if (moved > 0) await redis.GetSubscriber().PublishAsync(keys.JobsWake, RedisValue.EmptyString, CommandFlags.FireAndForget);
        return moved;
    }

    /// <summary>
    /// The Python worker pushed on the left and popped on the right, so the oldest job is last: each is imported, then
    /// removed. Redis deletes the list with its last item, and the stream never meets a key of the wrong type.
    /// </summary>
    private async Task<long> DrainPythonListAsync(IDatabase db, RedisKey list, CancellationToken ct)
    {
        long drained = 0;
        for (var i = 0; i < Batch * MaxRounds && !ct.IsCancellationRequested; i++)
        {
            var oldest = await db.ListGetByIndexAsync(list, -1);
            if (oldest.IsNull) break;
            await python.ImportAsync(oldest.ToString(), ct);
            await db.ScriptEvaluateAsync(PopIfOldestScript, [list], [oldest]);
            drained++;
        }
        if (drained > 0) QueueLog.PythonJobsDrained(log, drained, list.ToString());
        return drained;
    }

    private async Task<long> MoveDelayedAsync(IDatabase db, RedisKey old, CancellationToken ct)
    {
        long moved = 0;
        for (var round = 0; round < MaxRounds && !ct.IsCancellationRequested; round++)
        {
            var due = await db.SortedSetRangeByRankWithScoresAsync(old, 0, Batch - 1);
            if (due.Length == 0) break;
            // Same member and due time: adding it again after a crash changes nothing.
            await db.SortedSetAddAsync(keys.DelayedJobs, due);
            await db.SortedSetRemoveAsync(old, due.Select(e => e.Element).ToArray());
            moved += due.Length;
        }
        return moved;
    }
}
