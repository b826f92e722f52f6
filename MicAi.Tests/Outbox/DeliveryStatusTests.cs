using System.Net;
using MicAi.Core.Outbox;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.WhatsApp;

namespace MicAi.Tests.Outbox;

/// <summary>Status webhooks (the Meta fixtures, posted signed and byte-exact) against rows of the outbound ledger.</summary>
public sealed class DeliveryStatusTests : IAsyncLifetime
{
    private OutboxHost host = null!;

    public async Task InitializeAsync() => host = await OutboxHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task PostAsync(string fixture)
    {
        var response = await host.Api.CreateClient().SendAsync(Webhooks.Post(MetaFixtures.Bytes(fixture)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A row we sent earlier, as the send response left it.</summary>
    private async Task<string> SentRowAsync(string outboundName, string waId, string status = "sent")
    {
        var key = $"test:{outboundName}";
        await host.Api.Get<OutboundLedger>().InsertAsync(new OutboundDraft(key, waId, Webhooks.PhoneNumberId, "text", "hello"), CancellationToken.None);
        await host.Db.ExecuteAsync("UPDATE outbound_messages SET status = $2, provider_message_id = $3, attempts = 1 WHERE idempotency_key = $1",
            key, status, MetaFixtures.OutboundId(outboundName)!);
        return key;
    }

    [Fact]
    public async Task LateSent_DoesNotDowngrade_Delivered()
    {
        var key = await SentRowAsync("OUT_TEXT_ANA", "15550002222");
        await PostAsync("webhooks/status_delivered.json");
        Assert.Equal("delivered", (await host.RowAsync(key)).Status);

        await PostAsync("webhooks/status_sent.json");
        Assert.Equal("delivered", (await host.RowAsync(key)).Status);
    }

    [Fact]
    public async Task Read_StaysRead_WhenSentAndDeliveredArriveAfterIt()
    {
        var key = await SentRowAsync("OUT_TEXT_ANA", "15550002222");
        await PostAsync("webhooks/status_read.json");
        await PostAsync("webhooks/status_sent.json");
        await PostAsync("webhooks/status_delivered.json");
        await PostAsync("webhooks/status_read.json"); // Meta delivers at least once
        Assert.Equal("read", (await host.RowAsync(key)).Status);
    }

    [Fact]
    public async Task Played_CountsAsRead()
    {
        var key = await SentRowAsync("OUT_VOICE_CHEN", "15550004444", status: "delivered");
        await PostAsync("webhooks/status_played.json");
        Assert.Equal("read", (await host.RowAsync(key)).Status);
    }

    [Theory]
    [InlineData("webhooks/status_failed_131026.json", "OUT_FAIL_UNDELIV", "15550009999", 131026, "Message undeliverable")]
    [InlineData("webhooks/status_failed_131047.json", "OUT_FAIL_REENGAGE", "15550003333", 131047, "Re-engagement message")]
    public async Task Failed_RecordsErrorCodeAndTitle(string fixture, string outboundName, string waId, int code, string title)
    {
        var key = await SentRowAsync(outboundName, waId);
        await PostAsync(fixture);
        var row = await host.RowAsync(key);
        Assert.Equal(("failed", code, title), (row.Status, row.ErrorCode, row.ErrorText));
    }

    [Fact]
    public async Task StatusForAnUnknownMessage_IsSkipped_AndOtherRowsAreUntouched()
    {
        var key = await SentRowAsync("OUT_BUTTONS_CHEN", "15550004444");
        await PostAsync("webhooks/status_read.json"); // OUT_TEXT_ANA: not in this ledger
        await PostAsync("webhooks/status_failed_131026.json");

        Assert.Equal("sent", (await host.RowAsync(key)).Status);
        Assert.Equal(1L, await host.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages"));
    }

    [Fact]
    public async Task StatusArrivingBeforeTheSendResponse_IsApplied_AndTheResponseDoesNotDowngradeIt()
    {
        var to = OutboxHost.NewRecipient();
        await host.AddContactAsync(to, TimeSpan.FromHours(1));
        var providerId = "wamid.EARLY" + Guid.NewGuid().ToString("N");
        string? rowDuringCall = null;
        // Meta's 'delivered' webhook overtakes its own send response: it reaches us while the row is still 'sending'
        // with no provider id, and only our key (biz_opaque_callback_data) can match it.
        host.Graph.Respond(request =>
        {
            if (request.To != to) return null;
            var callback = request.Body["biz_opaque_callback_data"]!.GetValue<string>();
            rowDuringCall = host.RowAsync(callback).GetAwaiter().GetResult().Status;
            var status = StatusWebhooks.Status(providerId, "delivered", to, callback);
            var response = host.Api.CreateClient().SendAsync(Webhooks.Post(status)).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (200, $$"""{"messaging_product":"whatsapp","contacts":[{"input":"{{to}}","wa_id":"{{to}}"}],"messages":[{"id":"{{providerId}}"}]}""", null);
        });
        var key = await host.QueueTextAsync(to);

        await host.DrainAsync();

        Assert.Equal("sending", rowDuringCall);
        var row = await host.RowAsync(key);
        Assert.Equal(("delivered", providerId), (row.Status, row.ProviderId));
        Assert.Equal(1L, await host.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE sent_at IS NOT NULL"));
    }
}
