using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MicAi.Tests.Queue;

/// <summary>A job type whose handler always throws: it must retry, die, and never hold up the jobs behind it.</summary>
public sealed class PoisonJobTests
{
    private sealed class ExplodingHandler : IJobHandler
    {
        public int Runs;
        public string Type => "explode";
        public Task HandleAsync(Job job, CancellationToken ct) { Interlocked.Increment(ref Runs); throw new InvalidOperationException("boom"); }
    }

    private sealed class CountingHandler : IJobHandler
    {
        public int Runs;
        public string Type => "count";
        public Task HandleAsync(Job job, CancellationToken ct) { Interlocked.Increment(ref Runs); return Task.CompletedTask; }
    }

    [Fact]
    public async Task Runner_KeepsServingTheStream_WhenAHandlerAlwaysThrows_AndDeadLettersItAfterMaxAttempts()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var exploding = new ExplodingHandler();
        var counting = new CountingHandler();
        await using var core = await CoreServices.StartAsync(time: time,
            configure: s => s[QueueSettings.Keys.MaxAttempts] = "3",
            services: s => s.AddSingleton<IJobHandler>(exploding).AddSingleton<IJobHandler>(counting));
        var stream = core.Get<JobStream>();
        var runner = core.Get<JobRunner>();
        var poison = Job.New("explode", "p", time.GetUtcNow());
        await stream.EnqueueAsync([poison, .. Enumerable.Range(0, 20).Select(i => Job.New("count", $"c{i}", time.GetUtcNow()))]);

        for (var round = 0; round < 10; round++)
        {
            while (await runner.RunOnceAsync("w", CancellationToken.None) > 0) { }
            time.Advance(TimeSpan.FromMinutes(10)); // past any backoff
            await core.Get<DelayedJobs>().PromoteDueAsync();
        }

        Assert.Equal(20, counting.Runs);
        Assert.Equal(3, exploding.Runs);
        Assert.Equal((0L, 0L), await stream.CountsAsync());
        Assert.Equal(0L, await core.Get<DelayedJobs>().CountAsync());
        var db = core.Get<NpgsqlDataSource>();
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT attempts FROM dead_jobs WHERE job_id = $1", poison.Id));
        Assert.Equal("boom", await db.ScalarAsync<string>("SELECT last_error FROM dead_jobs WHERE job_id = $1", poison.Id));
    }
}
