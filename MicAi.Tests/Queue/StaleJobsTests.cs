using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Tests.Queue;

/// <summary>Crash recovery on the real Redis: jobs a dead consumer held come back; ones that keep dying become dead jobs.</summary>
public abstract class StaleJobsContract : OnRedis
{
    private Task<CoreServices> StartAsync(int maxAttempts = 5) => CoreAsync(configure: s =>
    {
        s[QueueSettings.Keys.VisibilityTimeoutSeconds] = "1";
        s[QueueSettings.Keys.MaxAttempts] = maxAttempts.ToString();
    });

    [Fact]
    public async Task Reclaim_RequeuesAJob_PendingPastTheVisibilityTimeout_AndLeavesFreshOnesAlone()
    {
        await using var core = await StartAsync();
        var stream = core.Get<JobStream>();
        var job = Job.New(JobTypes.Send, "k1", DateTimeOffset.UtcNow);
        await stream.EnqueueAsync([job]);
        var held = Assert.Single(await stream.ReadAsync("crashed-worker", 10)); // read, never acked: the worker died

        Assert.Equal(0, await core.Get<StaleJobs>().ReclaimAsync(CancellationToken.None)); // not stale yet
        await Task.Delay(1100);
        Assert.Equal(1, await core.Get<StaleJobs>().ReclaimAsync(CancellationToken.None));

        var again = Assert.Single(await stream.ReadAsync("new-worker", 10));
        Assert.Equal(Job.FromFields(job.ToFields()), Job.FromFields(again.Values));
        Assert.Equal("1", again.Values.Single(v => v.Name == "reclaims").Value.ToString());
        Assert.Equal((1L, 1L), await stream.CountsAsync()); // the old entry is gone, only the copy is pending

        // Fencing: the old owner's late ack touches nothing, the new owner's entry stays pending until it acks.
        await stream.AckAsync([held.Id]);
        Assert.Equal((1L, 1L), await stream.CountsAsync());
        await stream.AckAsync([again.Id]);
        Assert.Equal((0L, 0L), await stream.CountsAsync());
    }

    [Fact]
    public async Task Reclaim_DeadLettersAJob_ThatKeepsKillingItsWorker()
    {
        await using var core = await StartAsync(maxAttempts: 3);
        var stream = core.Get<JobStream>();
        var job = Job.New(JobTypes.Inbound, "wamid.poison", DateTimeOffset.UtcNow);
        await stream.EnqueueAsync([job]);
        var requeued = new List<int>();
        for (var delivery = 1; delivery <= 3; delivery++)
        {
            Assert.Single(await stream.ReadAsync($"worker-{delivery}", 10)); // each worker dies holding it
            await Task.Delay(1100);
            requeued.Add(await core.Get<StaleJobs>().ReclaimAsync(CancellationToken.None));
        }

        Assert.Equal([1, 1, 0], requeued);
        Assert.Equal((0L, 0L), await stream.CountsAsync());
        var db = core.Get<NpgsqlDataSource>();
        Assert.Equal("inbound", await db.ScalarAsync<string>("SELECT job_type FROM dead_jobs WHERE job_id = $1", job.Id));
        Assert.Contains("abandoned", await db.ScalarAsync<string>("SELECT last_error FROM dead_jobs WHERE job_id = $1", job.Id));
    }

    [Fact]
    public async Task Reclaim_DropsForeignEntries_AndSurvivesAnEmptyRedis()
    {
        await using var core = await StartAsync();
        Assert.Equal(0, await core.Get<StaleJobs>().ReclaimAsync(CancellationToken.None)); // no stream yet

        var redis = core.Get<IConnectionMultiplexer>().GetDatabase();
        var keys = core.Get<RedisKeys>();
        await redis.StreamAddAsync(keys.Jobs, [new NameValueEntry("garbage", "1")]);
        Assert.Single(await core.Get<JobStream>().ReadAsync("crashed-worker", 10));
        await Task.Delay(1100);
        Assert.Equal(0, await core.Get<StaleJobs>().ReclaimAsync(CancellationToken.None));
        Assert.Equal((0L, 0L), await core.Get<JobStream>().CountsAsync());

        await redis.KeyDeleteAsync(keys.Jobs); // as after a restart without persistence
        Assert.Equal(0, await core.Get<StaleJobs>().ReclaimAsync(CancellationToken.None));
        Assert.Equal(0, await core.Get<StaleJobs>().ReclaimAsync(CancellationToken.None));
    }
}

public sealed class StaleJobsTests : StaleJobsContract
{
    protected override string RedisUrl => TestServers.RedisUrl;
}

[Collection(RedisClusterCollection.Name)]
public sealed class StaleJobsClusterTests(PrivateRedisCluster cluster) : StaleJobsContract
{
    protected override string RedisUrl => cluster.Url;
}
