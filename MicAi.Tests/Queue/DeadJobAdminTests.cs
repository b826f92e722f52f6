using System.Net;
using System.Text.Json;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MicAi.Tests.Queue;

/// <summary>Dead jobs through the admin API: listed, replayed (and then succeeding against a healthy Graph), deleted.</summary>
public sealed class DeadJobAdminTests
{
    private const string GraphDown = """{"error":{"message":"(#131000) Something went wrong","type":"OAuthException","code":131000}}""";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task DeadSendJob_IsListedReplayedAndSent_OnceGraphIsHealthy_ThenDeleted()
    {
        await using var graph = await GraphStub.StartAsync();
        graph.Respond(_ => (500, GraphDown, null));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        settings[QueueSettings.Keys.MaxAttempts] = "2";
        await using var api = new MicAiApiFactory(settings, time);
        var admin = api.CreateAdminClient();
        var db = api.Get<NpgsqlDataSource>();
        var runner = api.Get<JobRunner>();

        const string key = "schedule:1:1768212000";
        await db.ExecuteAsync("INSERT INTO contacts (wa_id, last_inbound_at) VALUES ('15550003333', now())");
        await api.Get<OutboundLedger>().InsertAsync(new OutboundDraft(key, "15550003333", Webhooks.PhoneNumberId, "text", "Daily tip"), CancellationToken.None);
        await api.Get<JobStream>().EnqueueAsync([Job.New(JobTypes.Send, key, time.GetUtcNow())]);
        for (var i = 0; i < 3; i++)
        {
            await runner.RunOnceAsync("w", CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(10));
            await api.Get<DelayedJobs>().PromoteDueAsync();
        }
        Assert.Equal(2, graph.Messages.Count());
        // Attempts exhausted: the ledger row says failed and the job is a dead job.
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = $1", key));

        var list = await JsonAsync(await admin.GetAsync("/admin/dead-jobs"));
        var dead = Assert.Single(list.GetProperty("items").EnumerateArray().ToList());
        Assert.Equal(("send", key, 2), (dead.GetProperty("job_type").GetString(), dead.GetProperty("key").GetString(), dead.GetProperty("attempts").GetInt32()));
        Assert.Equal(JsonValueKind.Null, dead.GetProperty("replayed_at").ValueKind);
        var id = dead.GetProperty("id").GetInt64();
        Assert.Equal(1, (await JsonAsync(await admin.GetAsync("/admin/stats"))).GetProperty("dead_jobs").GetInt32());

        graph.Respond(_ => null); // Meta is healthy again
        var replay = await admin.PostAsync($"/admin/dead-jobs/{id}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal("pending", await db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = $1", key));
        Assert.Equal(1, await runner.RunOnceAsync("w", CancellationToken.None));

        Assert.Equal("sent", await db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = $1", key));
        Assert.Equal(3, graph.Messages.Count());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/admin/dead-jobs/{id}/replay", null)).StatusCode);
        var after = (await JsonAsync(await admin.GetAsync("/admin/dead-jobs"))).GetProperty("items")[0];
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("replayed_at").ValueKind);
        Assert.Equal(0, (await JsonAsync(await admin.GetAsync("/admin/stats"))).GetProperty("dead_jobs").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/dead-jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/admin/dead-jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/admin/dead-jobs/{id}/replay", null)).StatusCode);
        Assert.Empty((await JsonAsync(await admin.GetAsync("/admin/dead-jobs"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task DeadJobs_ArePagedNewestFirst_AndBadQueriesAre400()
    {
        await using var api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"));
        var store = api.Get<DeadJobStore>();
        for (var i = 0; i < 5; i++) await store.AddAsync(Job.New(JobTypes.Inbound, $"wamid.{i}", DateTimeOffset.UtcNow), "boom", CancellationToken.None);
        var admin = api.CreateAdminClient();

        var first = await JsonAsync(await admin.GetAsync("/admin/dead-jobs?limit=3"));
        Assert.Equal(["wamid.4", "wamid.3", "wamid.2"], first.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        var next = first.GetProperty("next_before").GetInt64();
        var second = await JsonAsync(await admin.GetAsync($"/admin/dead-jobs?limit=3&before={next}"));
        Assert.Equal(["wamid.1", "wamid.0"], second.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_before").ValueKind);

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/admin/dead-jobs?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/admin/dead-jobs?before=x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/admin/dead-jobs")).StatusCode);
    }

    [Fact]
    public async Task Stats_MarkAProcessStopped_AfterItMissedSeveralBeats_AndForgetItAfterADay()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"), time);
        var beats = api.Get<Heartbeats>();
        await beats.BeatAsync("scheduler", "gone");
        time.Advance(Heartbeats.StoppedAfter);
        await beats.BeatAsync("worker", "alive");

        async Task<Dictionary<string, string?>> StatesAsync() =>
            (await JsonAsync(await api.CreateAdminClient().GetAsync("/admin/stats"))).GetProperty("pipeline").GetProperty("processes")
                .EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("state").GetString());

        Assert.Equal(new Dictionary<string, string?> { ["gone"] = "running", ["alive"] = "running" }, await StatesAsync()); // exactly at the limit
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new Dictionary<string, string?> { ["gone"] = "stopped", ["alive"] = "running" }, await StatesAsync());
        time.Advance(Heartbeats.Forget - Heartbeats.StoppedAfter);
        Assert.Equal(new Dictionary<string, string?> { ["alive"] = "stopped" }, await StatesAsync());
        Assert.False(await api.Get<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase()
            .HashExistsAsync(api.Get<RedisKeys>().Heartbeats, "scheduler/gone")); // forgotten, not just hidden
    }

    [Fact]
    public async Task Stats_ShowHeartbeats_TheSchedulerLeader_AndTheLastTick()
    {
        await using var api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"));
        await api.Get<Heartbeats>().BeatAsync("worker", "box-7");
        var lease = api.Get<LeaderLease>();
        Assert.True(await lease.TryHoldAsync());
        await api.Get<SchedulerTick>().RunAsync(CancellationToken.None);

        var pipeline = (await JsonAsync(await api.CreateAdminClient().GetAsync("/admin/stats"))).GetProperty("pipeline");
        var worker = Assert.Single(pipeline.GetProperty("processes").EnumerateArray().ToList());
        Assert.Equal(("worker", "box-7"), (worker.GetProperty("role").GetString(), worker.GetProperty("name").GetString()));
        Assert.InRange(worker.GetProperty("age_seconds").GetDouble(), 0, 30);
        Assert.Equal("running", worker.GetProperty("state").GetString());
        Assert.Equal(lease.Holder, pipeline.GetProperty("scheduler_leader").GetString());
        Assert.InRange(pipeline.GetProperty("last_tick_age_seconds").GetDouble(), 0, 30);
    }
}
