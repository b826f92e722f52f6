using MicAi.Core.Outbox;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Outbox;

public sealed class OutboundLedgerTests : IAsyncLifetime
{
    private OutboxHost host = null!;

    public async Task InitializeAsync() => host = await OutboxHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private OutboundLedger Ledger => host.Api.Get<OutboundLedger>();

    private Task InsertAsync(string key) =>
        Ledger.InsertAsync(new OutboundDraft(key, "15550002222", Webhooks.PhoneNumberId, "text", "part"), CancellationToken.None);

    [Fact]
    public async Task PartKeys_AreInNumericOrder_AndIgnoreLookalikeKeys()
    {
        foreach (var key in new[] { "reply:w_1#10", "reply:w_1", "reply:w_1#3", "reply:w_1#2", "reply:w_1#x", "reply:wX1#2", "reply:w_1#2#2" })
            await InsertAsync(key);

        Assert.Equal(["reply:w_1", "reply:w_1#2", "reply:w_1#3", "reply:w_1#10"], await Ledger.PartKeysAsync("reply:w_1", CancellationToken.None));
    }

    [Fact]
    public async Task Peek_ReadsASendableRowWithoutClaimingIt_AndClaimIsTheOnlyFence()
    {
        await InsertAsync("k1");
        Assert.Equal(0, (await Ledger.PeekAsync("k1", CancellationToken.None))!.Attempts);
        Assert.Equal("pending", (await host.RowAsync("k1")).Status); // a worker waiting for pacing holds nothing

        Assert.Equal(1, (await Ledger.ClaimAsync("k1", CancellationToken.None))!.Attempts);
        Assert.Null(await Ledger.ClaimAsync("k1", CancellationToken.None)); // held: nobody else may send it
        Assert.Null(await Ledger.PeekAsync("k1", CancellationToken.None));
    }

    [Fact]
    public async Task MarkSent_KeepsAStatusThatArrivedFirst_AndFillsTheProviderId()
    {
        await InsertAsync("k2");
        await Ledger.ClaimAsync("k2", CancellationToken.None);
        await host.Db.ExecuteAsync("UPDATE outbound_messages SET status = 'read' WHERE idempotency_key = 'k2'");

        await Ledger.MarkSentAsync("k2", "wamid.OUT", null);

        var row = await host.RowAsync("k2");
        Assert.Equal(("read", "wamid.OUT"), (row.Status, row.ProviderId));
    }

    [Fact]
    public async Task MarkSent_OfManySendsAtOnce_WritesEveryRowWithItsOwnProviderId_AndKeepsAStatusThatArrivedFirst()
    {
        // Marks that arrive while one is being written are written together, in one statement.
        var keys = Enumerable.Range(0, 40).Select(i => $"m{i}").ToList();
        foreach (var key in keys)
        {
            await InsertAsync(key);
            await Ledger.ClaimAsync(key, CancellationToken.None);
        }
        await host.Db.ExecuteAsync("UPDATE outbound_messages SET status = 'delivered' WHERE idempotency_key = 'm7'");

        await Task.WhenAll(keys.Select(key => Task.Run(() => Ledger.MarkSentAsync(key, "wamid." + key, null))));

        foreach (var key in keys)
        {
            var row = await host.RowAsync(key);
            Assert.Equal((key == "m7" ? "delivered" : "sent", "wamid." + key), (row.Status, row.ProviderId));
        }
    }
}
