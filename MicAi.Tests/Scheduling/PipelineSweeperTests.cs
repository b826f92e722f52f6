using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Scheduling;

/// <summary>Lost jobs come back from Postgres; sends whose worker died mid-call become 'unknown' and are never re-sent.</summary>
public sealed class PipelineSweeperTests
{
    private static async Task InsertRowAsync(CoreServices core, string key, string status, string age)
    {
        await core.Get<OutboundLedger>().InsertAsync(new OutboundDraft(key, "15550004444", Webhooks.PhoneNumberId, "text", "hi"), CancellationToken.None);
        await core.Get<NpgsqlDataSource>().ExecuteAsync(
            $"UPDATE outbound_messages SET status = $2, updated_at = now() - interval '{age}' WHERE idempotency_key = $1", key, status);
    }

    private static async Task<List<Job>> ReadAllAsync(CoreServices core) =>
        (await core.Get<JobStream>().ReadAsync("c", 100)).Select(e => Job.FromFields(e.Values)!).ToList();

    [Fact]
    public async Task Sweeper_MarksASendStuckInSendingUnknown_NeverResendsIt_AndAStatusWebhookReconcilesIt()
    {
        await using var core = await CoreServices.StartAsync();
        await InsertRowAsync(core, "reply:wamid.stuck", "sending", "5 minutes");
        await InsertRowAsync(core, "reply:wamid.busy", "sending", "1 second"); // a live worker is still calling Graph

        Assert.Equal((1, 0, 0), await core.Get<PipelineSweeper>().RunAsync(CancellationToken.None));
        var db = core.Get<NpgsqlDataSource>();
        Assert.Equal("unknown", await db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = 'reply:wamid.stuck'"));
        Assert.Equal("sending", await db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = 'reply:wamid.busy'"));
        Assert.Empty(await ReadAllAsync(core));

        // Meta did get it: the status webhook echoes our key in biz_opaque_callback_data.
        await core.Get<OutboundLedger>().ApplyDeliveryStatusesAsync([new StatusUpdate("wamid.FROMMETA", "delivered", "15550004444", DateTimeOffset.UtcNow, "reply:wamid.stuck", null, null)], CancellationToken.None);
        Assert.Equal("delivered", await db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = 'reply:wamid.stuck'"));
        Assert.Equal("wamid.FROMMETA", await db.ScalarAsync<string>("SELECT provider_message_id FROM outbound_messages WHERE idempotency_key = 'reply:wamid.stuck'"));
    }

    [Fact]
    public async Task Sweeper_ReenqueuesRowsWhoseJobWasLost_OncePerPeriod_AndLeavesDeadOnesToTheOperator()
    {
        await using var core = await CoreServices.StartAsync();
        var db = core.Get<NpgsqlDataSource>();
        await InsertRowAsync(core, "schedule:1:1", "pending", "5 minutes");
        await InsertRowAsync(core, "schedule:1:2", "pending", "1 second");
        await InsertRowAsync(core, "schedule:1:3", "retrying", "5 minutes"); // still inside its backoff
        await InsertRowAsync(core, "schedule:1:4", "retrying", "1 hour");
        await InsertRowAsync(core, "schedule:1:5", "pending", "5 minutes");
        await core.Get<DeadJobStore>().AddAsync(Job.New(JobTypes.Send, "schedule:1:5", DateTimeOffset.UtcNow), "boom", CancellationToken.None);
        await db.ExecuteAsync("""
            INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, received_at) VALUES
            ('wamid.lost', '15550004444', 'text', 'michael: hi', '{}', now() - interval '5 minutes'),
            ('wamid.dead', '15550004444', 'text', 'michael: hi', '{}', now() - interval '5 minutes')
            """);
        await core.Get<DeadJobStore>().AddAsync(Job.New(JobTypes.Inbound, "wamid.dead", DateTimeOffset.UtcNow), "boom", CancellationToken.None);

        Assert.Equal((0, 1, 2), await core.Get<PipelineSweeper>().RunAsync(CancellationToken.None));
        Assert.Equal((0, 0, 0), await core.Get<PipelineSweeper>().RunAsync(CancellationToken.None)); // marked: not again this period
        var jobs = await ReadAllAsync(core);
        Assert.Equal(["inbound wamid.lost", "send schedule:1:1", "send schedule:1:4"], jobs.Select(j => $"{j.Type} {j.Key}").Order());
    }
}
