using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MicAi.Tests.Queue;

/// <summary>
/// Work an older MicAi left under the key names before hash tags is moved over, never lost; keys of another type
/// under those names are left alone and reported. On bin/test's Redis and on a cluster (where old and new names live
/// in different slots).
/// </summary>
public abstract class LegacyQueueMigrationContract : OnRedis
{
    /// <summary>What an older version leaves: three stream entries read by a worker that died (pending), two never
    /// read, and two retries waiting (one due).</summary>
    private static async Task<(Job[] Stream, Job[] Delayed)> LeaveOldWorkAsync(IDatabase db, LegacyRedisKeys old)
    {
        var now = DateTimeOffset.UtcNow;
        var stream = Enumerable.Range(0, 5).Select(i => Job.New(JobTypes.Inbound, $"wamid.old{i}", now)).ToArray();
        await db.StreamCreateConsumerGroupAsync(old.Jobs, "workers", "0-0", createStream: true);
        foreach (var job in stream.Take(3)) await db.StreamAddAsync(old.Jobs, job.ToFields());
        Assert.Equal(3, (await db.StreamReadGroupAsync(old.Jobs, "workers", "old-worker", ">", 10)).Length);
        foreach (var job in stream.Skip(3)) await db.StreamAddAsync(old.Jobs, job.ToFields());
        var delayed = new[] { Job.New(JobTypes.Send, "reply:due", now).NextAttempt(), Job.New(JobTypes.Send, "reply:later", now) };
        await db.SortedSetAddAsync(old.DelayedJobs, delayed[0].Serialize(), now.AddSeconds(-5).ToUnixTimeMilliseconds());
        await db.SortedSetAddAsync(old.DelayedJobs, delayed[1].Serialize(), now.AddHours(1).ToUnixTimeMilliseconds());
        return (stream, delayed);
    }

    [Fact]
    public async Task Migration_MovesEveryOldStreamEntry_PendingOrNot_AndEveryDelayedJob_ThenDeletesTheOldKeys()
    {
        await using var core = await CoreAsync();
        var db = core.Get<IConnectionMultiplexer>().GetDatabase();
        var keys = core.Get<RedisKeys>();
        var (stream, delayed) = await LeaveOldWorkAsync(db, keys.Legacy);

        Assert.Equal((5L, 2L), await core.Get<LegacyQueueMigration>().RunAsync(CancellationToken.None));

        Assert.False(await db.KeyExistsAsync(keys.Legacy.Jobs));
        Assert.False(await db.KeyExistsAsync(keys.Legacy.DelayedJobs));
        var moved = (await core.Get<JobStream>().ReadAsync("new-worker", 10)).Select(e => Job.FromFields(e.Values)).ToArray();
        Assert.Equal(stream.Select(j => Job.FromFields(j.ToFields())), moved); // the same jobs, in order
        var retries = await db.SortedSetRangeByRankWithScoresAsync(keys.DelayedJobs);
        Assert.Equal(delayed.Select(j => j.Key), retries.Select(e => Job.Deserialize(e.Element!)!.Key));
        Assert.Equal(1, await core.Get<DelayedJobs>().PromoteDueAsync()); // the due one keeps its due time

        Assert.Equal((0L, 0L), await core.Get<LegacyQueueMigration>().RunAsync(CancellationToken.None)); // nothing left
    }

    [Fact]
    public async Task Migration_LeavesKeysOfAnotherTypeUnderTheOldNames_AndLogsEachOnce()
    {
        var logs = new CapturedLogs();
        await using var core = await CoreAsync(services: s => s.AddSingleton<ILoggerProvider>(logs));
        var db = core.Get<IConnectionMultiplexer>().GetDatabase();
        var keys = core.Get<RedisKeys>();
        // Strings where an older MicAi kept its stream and delayed set (a list there is the Python service's queue: drained).
        await db.StringSetAsync(keys.Legacy.Jobs, "not ours either");
        await db.StringSetAsync(keys.Legacy.DelayedJobs, "not ours");

        var migration = core.Get<LegacyQueueMigration>();
        Assert.Equal((0L, 0L), await migration.RunAsync(CancellationToken.None));
        Assert.Equal((0L, 0L), await migration.RunAsync(CancellationToken.None));

        Assert.Equal("not ours either", (string?)await db.StringGetAsync(keys.Legacy.Jobs));
        Assert.Equal("not ours", (string?)await db.StringGetAsync(keys.Legacy.DelayedJobs));
        Assert.False(await db.KeyExistsAsync(keys.Jobs));
        var warnings = logs.Messages.Where(m => m.StartsWith("Warning 2008:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, warnings.Length); // one per key, not one per run
        Assert.Contains(warnings, w => w.Contains($"{keys.Legacy.Jobs} is a string", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains($"{keys.Legacy.DelayedJobs} is a string", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migration_ByTwoProcessesAtOnce_MovesEachJobOnce()
    {
        await using var a = await CoreAsync();
        await using var b = await CoreAsync(configure: s =>
        {
            s[StorageSettings.Keys.DatabaseUrl] = a.Settings[StorageSettings.Keys.DatabaseUrl];
            s[QueueSettings.Keys.RedisKeyPrefix] = a.Settings[QueueSettings.Keys.RedisKeyPrefix];
        });
        var db = a.Get<IConnectionMultiplexer>().GetDatabase();
        await LeaveOldWorkAsync(db, a.Get<RedisKeys>().Legacy);

        var runs = await Task.WhenAll(a.Get<LegacyQueueMigration>().RunAsync(CancellationToken.None), b.Get<LegacyQueueMigration>().RunAsync(CancellationToken.None));

        Assert.Equal((5L, 2L), (runs.Sum(r => r.Entries), runs.Sum(r => r.Delayed)));
        Assert.Equal(5L, await db.StreamLengthAsync(a.Get<RedisKeys>().Jobs));
        Assert.Equal(2L, await a.Get<DelayedJobs>().CountAsync());
    }

    [Fact]
    public async Task SchedulerTick_MovesAnOlderVersionsDueRetry_AndPromotesItToTheStream()
    {
        await using var core = await CoreAsync();
        var db = core.Get<IConnectionMultiplexer>().GetDatabase();
        var keys = core.Get<RedisKeys>();
        var retry = Job.New(JobTypes.Send, "reply:wamid.legacy", DateTimeOffset.UtcNow).NextAttempt();
        await db.SortedSetAddAsync(keys.Legacy.DelayedJobs, retry.Serialize(), DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds());

        await core.Get<SchedulerTick>().RunAsync(CancellationToken.None);

        var job = Job.FromFields(Assert.Single(await core.Get<JobStream>().ReadAsync("w", 10)).Values)!;
        Assert.Equal((retry.Id, retry.Key, retry.Attempt), (job.Id, job.Key, job.Attempt));
        Assert.False(await db.KeyExistsAsync(keys.Legacy.DelayedJobs));
    }
}

public sealed class LegacyQueueMigrationTests : LegacyQueueMigrationContract
{
    protected override string RedisUrl => TestServers.RedisUrl;
}

[Collection(RedisClusterCollection.Name)]
public sealed class LegacyQueueMigrationClusterTests(PrivateRedisCluster cluster) : LegacyQueueMigrationContract
{
    protected override string RedisUrl => cluster.Url;
}
