using System.Net;
using System.Text.Json;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

/// <summary>Stats count everything in the class's own database and Redis prefix, so the numbers are exact.</summary>
public sealed class AdminStatsTests(AdminApiFixture fx) : IClassFixture<AdminApiFixture>
{
    private async Task<JsonElement> GetStatsAsync(MicAiApiFactory api)
    {
        var response = await api.CreateAdminClient().GetAsync("/admin/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static Dictionary<string, long> Counts(JsonElement e) => e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

    [Fact]
    public async Task Stats_CountsQueueMessagesAndDeadJobs_TheOldestJobsAge_AndTheLastHoursSends()
    {
        var empty = await GetStatsAsync(fx.Api);
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("queue").GetProperty("oldest_age_seconds").ValueKind);
        Assert.Equal(0, empty.GetProperty("queue").GetProperty("length").GetInt64());
        Assert.Equal(0, empty.GetProperty("queue").GetProperty("pending").GetInt64());
        Assert.Equal(0, empty.GetProperty("queue").GetProperty("delayed").GetInt64());
        Assert.Empty(Counts(empty.GetProperty("inbound")));
        Assert.Empty(Counts(empty.GetProperty("outbound")));
        Assert.Equal(0, empty.GetProperty("dead_jobs").GetInt64());

        await SeedAsync();
        var stats = await GetStatsAsync(fx.Api);

        var queue = stats.GetProperty("queue");
        Assert.Equal(3, queue.GetProperty("length").GetInt64());
        Assert.Equal(1, queue.GetProperty("pending").GetInt64());
        Assert.Equal(2, queue.GetProperty("delayed").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["ignored"] = 1, ["processed"] = 2, ["received"] = 1 }, Counts(stats.GetProperty("inbound")));
        Assert.InRange(queue.GetProperty("oldest_age_seconds").GetDouble(), 0, 3600); // the stream's first entry, added just now
        Assert.Equal(new Dictionary<string, long> { ["failed"] = 1, ["read"] = 1, ["sent"] = 3 }, Counts(stats.GetProperty("outbound")));
        // Not the two from two hours ago, and no "read": it has no row in the last hour.
        Assert.Equal(new Dictionary<string, long> { ["failed"] = 1, ["sent"] = 2 }, Counts(stats.GetProperty("outbound_last_hour")));
        Assert.Equal(1, stats.GetProperty("dead_jobs").GetInt64()); // the replayed one no longer counts
    }

    [Fact]
    public async Task Stats_ReportsOutboundFlags()
    {
        var on = await GetStatsAsync(fx.Api);
        Assert.True(on.GetProperty("outbound_env_enabled").GetBoolean());
        Assert.True(on.GetProperty("outbound_effective").GetBoolean());

        var settings = new Dictionary<string, string?>(fx.Settings) { [Core.Outbox.OutboundSettings.Keys.ReplyEnabled] = "false" };
        await using var disabled = new MicAiApiFactory(settings);
        var off = await GetStatsAsync(disabled);
        Assert.False(off.GetProperty("outbound_env_enabled").GetBoolean());
        Assert.False(off.GetProperty("outbound_effective").GetBoolean());
    }

    private async Task SeedAsync()
    {
        foreach (var status in new[] { "received", "processed", "processed", "ignored" })
            await fx.Db.ExecuteAsync("INSERT INTO inbound_messages (wamid, wa_id, type, payload, status) VALUES ($1, '15550001111', 'text', '{}', $2)",
                Webhooks.NewWamid(), status);
        foreach (var status in new[] { "sent", "sent", "failed" })
            await fx.Db.ExecuteAsync("INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status) VALUES ($1, '15550001111', 'text', 'hi', $2)",
                "test:" + Guid.NewGuid().ToString("N"), status);
        await fx.Db.ExecuteAsync("""
            INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, created_at)
            VALUES ('test:two-hours-ago', '15550001111', 'text', 'hi', 'sent', now() - interval '2 hours'),
                   ('test:read-two-hours-ago', '15550001111', 'text', 'hi', 'read', now() - interval '2 hours')
            """);
        await fx.Db.ExecuteAsync("""
            INSERT INTO dead_jobs (job_id, job_type, payload, attempts, replayed_at) VALUES
              ('dead-1', 'send', '{}', 5, NULL), ('dead-2', 'send', '{}', 5, now())
            """);

        var now = DateTimeOffset.UtcNow;
        var jobs = fx.Api.Get<JobStream>();
        await jobs.EnsureGroupAsync();
        await jobs.EnqueueAsync([Job.New(JobTypes.Inbound, "a", now), Job.New(JobTypes.Inbound, "b", now), Job.New(JobTypes.Send, "c", now)]);
        Assert.Single(await jobs.ReadAsync("stats-test", 1)); // read but not acked: pending
        var delayed = fx.Api.Get<DelayedJobs>();
        await delayed.ScheduleAsync(Job.New(JobTypes.Send, "d", now), TimeSpan.FromHours(1));
        await delayed.ScheduleAsync(Job.New(JobTypes.Send, "e", now), TimeSpan.FromHours(2));
    }
}
