using System.Net;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Tests.EndToEnd;

/// <summary>The runtime kill switch across OS processes: one api, two workers, the Graph stub on 127.0.0.1.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class OutboundPauseTests
{
    [Fact]
    public async Task Pause_StopsAllSendsOfTwoWorkerProcessesWithinOneSecond_AndResume_LetsNewSendsThrough()
    {
        await using var graph = await GraphStub.StartAsync();
        var env = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        env[OutboundSettings.Keys.RatePerSecond] = "40"; // keeps sends flowing for several seconds
        await using var api = await HostProcess.StartApiAsync(env);
        await using var worker1 = HostProcess.Start(["worker"], env);
        await using var worker2 = HostProcess.Start(["worker"], env);
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(env[StorageSettings.Keys.DatabaseUrl]!));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(TestServers.RedisUrl));
        var jobs = new JobStream(redis, new RedisKeys(env[QueueSettings.Keys.RedisKeyPrefix]!));
        using var admin = new HttpClient { BaseAddress = api.BaseAddress };
        admin.DefaultRequestHeaders.Add("x-admin-key", MicAiApiFactory.AdminKey);

        async Task QueueAsync(int count)
        {
            var recipients = Enumerable.Range(0, count).Select(_ => Outbox.OutboxHost.NewRecipient()).ToArray();
            var keys = recipients.Select(r => $"e2e:{r}:{Guid.NewGuid():N}").ToArray();
            await db.ExecuteAsync("INSERT INTO contacts (wa_id, last_inbound_at) SELECT unnest($1::text[]), now() ON CONFLICT DO NOTHING", (object)recipients);
            await db.ExecuteAsync("""
                INSERT INTO outbound_messages (idempotency_key, wa_id, phone_number_id, kind, body)
                SELECT k, w, $3, 'text', 'hello' FROM unnest($1::text[], $2::text[]) AS t(k, w)
                """, (object)keys, recipients, Webhooks.PhoneNumberId);
            await jobs.EnqueueAsync(keys.Select(k => Job.New(JobTypes.Send, k, DateTimeOffset.UtcNow)).ToArray());
        }

        await QueueAsync(400);
        Assert.True(await graph.WaitForMessagesAsync(20, TimeSpan.FromSeconds(30)), $"sends did not start:\n{worker1.Output}");

        var askedAt = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/outbound/pause", null)).StatusCode);
        var pausedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Null(graph.SentAfterPause(askedAt, pausedAt, TimeSpan.FromSeconds(1)));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'suppressed'") > 0);
        Assert.True(graph.Messages.Count() < 400, "everything was sent before the pause");

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/outbound/resume", null)).StatusCode);
        var before = graph.Messages.Count();
        await QueueAsync(5);
        Assert.True(await graph.WaitForMessagesAsync(before + 5, TimeSpan.FromSeconds(10)), "sends did not resume");
    }
}
