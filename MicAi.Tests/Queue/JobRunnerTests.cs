using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Tests.Queue;

/// <summary>The stream round trip, retries through the delayed set, and dead letters, on the real Redis and Postgres.</summary>
public abstract class JobRunnerContract : OnRedis
{
    [Fact]
    public async Task Stream_RoundTrip_EnqueueReadAck_LeavesNothingPending()
    {
        await using var core = await CoreAsync();
        var stream = core.Get<JobStream>();
        var jobs = Enumerable.Range(0, 25).Select(i => Job.New("probe", $"k{i}", DateTimeOffset.UtcNow)).ToArray();
        await stream.EnqueueAsync(jobs);

        var read = await stream.ReadAsync("c1", 100);
        Assert.Equal(25, read.Length);
        Assert.Equal(jobs.Select(j => j.Key), read.Select(e => Job.FromFields(e.Values)!.Key));
        Assert.Equal((25L, 25L), await stream.CountsAsync());

        await stream.AckAsync(read.Select(e => e.Id).ToArray());
        Assert.Equal((0L, 0L), await stream.CountsAsync());
    }

    [Fact]
    public async Task Runner_DropsPoisonEntries_WithoutBlockingTheStream()
    {
        await using var core = await CoreAsync();
        var redis = core.Get<IConnectionMultiplexer>().GetDatabase();
        var keys = core.Get<RedisKeys>();
        await core.Get<JobStream>().EnsureGroupAsync();
        await redis.StreamAddAsync(keys.Jobs, [new NameValueEntry("garbage", "1")]);

        Assert.Equal(1, await core.Get<JobRunner>().RunOnceAsync("c1", CancellationToken.None));
        Assert.Equal((0L, 0L), await core.Get<JobStream>().CountsAsync());
    }

    [Fact]
    public async Task Runner_RetriesThroughDelayedSet_ThenDeadLetters_WhenAttemptsRunOut()
    {
        await using var core = await CoreAsync(configure: s => s["MICAI_QUEUE_MAX_ATTEMPTS"] = "2");
        // An inbound job for a message that was never stored: the handler cannot succeed.
        var job = Job.New(JobTypes.Inbound, "wamid.missing", DateTimeOffset.UtcNow);
        await core.Get<JobStream>().EnqueueAsync([job]);
        Assert.Equal(1, await core.Get<JobRunner>().RunOnceAsync("c1", CancellationToken.None));

        var db = core.Get<NpgsqlDataSource>();
        // A missing row is permanent: straight to dead letters, not retried.
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dead_jobs WHERE job_id = $1", job.Id));
        Assert.Equal(0L, await core.Get<DelayedJobs>().CountAsync());
    }

    [Fact]
    public async Task DelayedJobs_PromotesOnlyDueJobs_BackToTheStream()
    {
        await using var core = await CoreAsync();
        var delayed = core.Get<DelayedJobs>();
        await delayed.ScheduleAsync(Job.New(JobTypes.Send, "due", DateTimeOffset.UtcNow).NextAttempt(), TimeSpan.Zero);
        await delayed.ScheduleAsync(Job.New(JobTypes.Send, "later", DateTimeOffset.UtcNow), TimeSpan.FromHours(1));

        Assert.Equal(1, await delayed.PromoteDueAsync());
        var entries = await core.Get<JobStream>().ReadAsync("c1", 10);
        var promoted = Job.FromFields(Assert.Single(entries).Values)!;
        Assert.Equal(("due", 2), (promoted.Key, promoted.Attempt));
        Assert.Equal(1L, await delayed.CountAsync());
    }
}

/// <summary>On bin/test's Redis, plus the parts that need no Redis at all.</summary>
public sealed class JobRunnerTests : JobRunnerContract
{
    protected override string RedisUrl => TestServers.RedisUrl;

    [Fact]
    public void Job_FieldsRoundTrip_WithIdTypeAttemptAndEnqueuedAt()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_768_212_000_123);
        var job = new Job("id1", JobTypes.Send, "reply:w1", 3, at);
        Assert.Equal(job, Job.FromFields(job.ToFields()));
        Assert.Equal(job, Job.Deserialize(job.Serialize()));
        Assert.Null(Job.FromFields([new NameValueEntry("foo", "bar")]));
    }

    [Fact]
    public void Backoff_IsCappedJittered_AndHonoursAMinimum()
    {
        for (var attempt = 1; attempt < 40; attempt++)
        {
            var d = Backoff.ForJob(attempt);
            Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMinutes(5));
            Assert.True(Backoff.ForJob(attempt, TimeSpan.FromSeconds(2)) >= TimeSpan.FromSeconds(2));
            Assert.True(Backoff.Loop(attempt) > TimeSpan.Zero);
        }
        var spread = Enumerable.Range(0, 50).Select(_ => Backoff.ForJob(6)).Distinct().Count();
        Assert.True(spread > 40, "full jitter spreads retries");
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class JobRunnerClusterTests(PrivateRedisCluster cluster) : JobRunnerContract
{
    protected override string RedisUrl => cluster.Url;
}
