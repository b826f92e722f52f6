using System.Text;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.WhatsApp;
using Microsoft.Extensions.Time.Testing;

namespace MicAi.Tests.Outbox;

/// <summary>The stub answers with each Graph error fixture; the ledger and the retry decision follow the catalogue.</summary>
public sealed class GraphErrorOutcomeTests : IAsyncLifetime
{
    // Whole milliseconds, like the delayed set's scores, so "due - now" is exact.
    private readonly FakeTimeProvider time = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    private OutboxHost host = null!;

    public static TheoryData<string> ErrorFiles => MetaFixtures.GraphErrorRows();

    public async Task InitializeAsync() => host = await OutboxHost.StartAsync(s => s[QueueSettings.Keys.MaxAttempts] = "3", time);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<string> QueueInWindowAsync(string to)
    {
        await host.AddContactAsync(to, TimeSpan.FromHours(1));
        return await host.QueueTextAsync(to);
    }

    /// <summary>Lets every waiting retry come due and runs it.</summary>
    private async Task RunDueRetriesAsync(TimeSpan advance)
    {
        time.Advance(advance);
        await host.Api.Get<DelayedJobs>().PromoteDueAsync();
        await host.DrainAsync();
    }

    [Theory]
    [MemberData(nameof(ErrorFiles))]
    public async Task Send_RecordsOutcomeAndRetriesOnlyWhenRetryable_ForEachGraphErrorFixture(string file)
    {
        var entry = MetaFixtures.Entry(file);
        var retry = entry.GetProperty("retry").GetString();
        var to = OutboxHost.NewRecipient();
        host.Graph.Respond(r => r.To == to ? OutboxHost.Fixture(file) : null);
        var key = await QueueInWindowAsync(to);

        await host.DrainAsync();

        var row = await host.RowAsync(key);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(entry.GetProperty("code").GetInt32(), row.ErrorCode);
        var delayed = await host.DelayedAsync();
        var state = await host.Api.Get<OutboundSwitch>().StateAsync(CancellationToken.None);
        switch (retry)
        {
            case "retryable":
                Assert.Equal("retrying", row.Status);
                var again = Assert.Single(delayed);
                Assert.Equal((key, 2), (again.Job.Key, again.Job.Attempt));
                Assert.False(state.OutboundPaused);
                break;
            case "permanent":
                Assert.Equal("failed", row.Status);
                Assert.Empty(delayed);
                Assert.False(state.OutboundPaused);
                break;
            case "fatal-config":
                Assert.Equal("failed", row.Status);
                Assert.Empty(delayed);
                Assert.True(state.OutboundPaused, "a configuration error pauses outbound");
                Assert.Contains(entry.GetProperty("code").GetInt32().ToString(), state.PauseReason);
                break;
            default:
                Assert.Fail($"manifest retry class '{retry}'");
                break;
        }
        Assert.Equal(0L, await host.Db.ScalarAsync<long>("SELECT count(*) FROM dead_jobs"));

        // Meta recovers and every waiting retry comes due: only a retryable error reaches Graph a second time.
        host.Graph.Respond(_ => null);
        await RunDueRetriesAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(retry == "retryable" ? 2 : 1, host.Graph.Messages.Count(m => m.To == to));
        if (retry == "retryable") Assert.Equal(("sent", 2), ((await host.RowAsync(key)).Status, (await host.RowAsync(key)).Attempts));
    }

    [Fact]
    public async Task Retry_IsScheduledAtLeastRetryAfterLater_When429SaysRetryAfter2()
    {
        var to = OutboxHost.NewRecipient();
        host.Graph.Respond(r => r.To == to ? (429, Encoding.UTF8.GetString(MetaFixtures.Bytes("graph/error_130429_rate_limit.json")), "2") : null);
        var key = await QueueInWindowAsync(to);
        var failedAt = time.GetUtcNow();

        await host.DrainAsync();

        var retry = Assert.Single(await host.DelayedAsync());
        Assert.True(retry.Due - failedAt >= TimeSpan.FromSeconds(2), $"retry due after {retry.Due - failedAt}");
        host.Graph.Respond(_ => null);
        time.Advance(TimeSpan.FromMilliseconds(1900));
        Assert.Equal(0, await host.Api.Get<DelayedJobs>().PromoteDueAsync());
        await RunDueRetriesAsync(retry.Due - time.GetUtcNow());
        Assert.Equal(2, host.Graph.Messages.Count(m => m.To == to));
        Assert.Equal("sent", (await host.RowAsync(key)).Status);
    }

    [Fact]
    public async Task RetryableError_EndsFailedAndDeadLettered_AfterMaxAttempts()
    {
        var to = OutboxHost.NewRecipient();
        host.Graph.Respond(r => r.To == to ? OutboxHost.Fixture("graph/error_131000_generic.json") : null);
        var key = await QueueInWindowAsync(to);

        await host.DrainAsync();
        for (var i = 0; i < 5; i++) await RunDueRetriesAsync(TimeSpan.FromMinutes(10));

        var row = await host.RowAsync(key);
        Assert.Equal(("failed", 3, 131000), (row.Status, row.Attempts, row.ErrorCode));
        Assert.Equal(3, host.Graph.Messages.Count(m => m.To == to));
        Assert.Equal(1L, await host.Db.ScalarAsync<long>("SELECT count(*) FROM dead_jobs WHERE payload->>'Key' = $1", key));
    }

    [Fact]
    public async Task PairRateLimit_BacksOffThatRecipientOnly()
    {
        var (ana, bob) = (OutboxHost.NewRecipient(), OutboxHost.NewRecipient());
        await host.AddContactAsync(bob, TimeSpan.FromHours(1));
        var first = true;
        host.Graph.Respond(r => r.To == ana && Interlocked.Exchange(ref first, false) ? OutboxHost.Fixture("graph/error_131056_pair_rate_limit.json") : null);
        await QueueInWindowAsync(ana);
        await host.DrainAsync();

        // A new message to each: Bob's goes straight out, Ana's waits out her back-off (4 s after a first 131056).
        await host.QueueTextAsync(ana);
        await host.QueueTextAsync(bob);
        await host.DrainAsync();

        var toBob = Assert.Single(host.Graph.Messages, m => m.To == bob);
        var toAna = host.Graph.Messages.Where(m => m.To == ana).ToArray();
        Assert.Equal(2, toAna.Length);
        // Had Bob waited out Ana's back-off he would come 4 s after her refused message; 3 s leaves a busy machine room.
        Assert.True(toBob.At - toAna[0].At < TimeSpan.FromSeconds(3), $"Bob's message came {toBob.At - toAna[0].At} after Ana's refused one");
        Assert.True(toAna[1].At - toAna[0].At >= TimeSpan.FromSeconds(3.9), $"Ana's next message came {toAna[1].At - toAna[0].At} later");
    }

    [Fact]
    public async Task ThroughputError_HoldsEveryRecipientOfTheNumberForASecond()
    {
        var (ana, bob) = (OutboxHost.NewRecipient(), OutboxHost.NewRecipient());
        await host.AddContactAsync(bob, TimeSpan.FromHours(1));
        host.Graph.Respond(r => r.To == ana ? OutboxHost.Fixture("graph/error_130429_rate_limit.json") : null);
        await QueueInWindowAsync(ana);
        await host.DrainAsync();

        await host.QueueTextAsync(bob);
        await host.DrainAsync();

        var limited = Assert.Single(host.Graph.Messages, m => m.To == ana).At;
        var next = Assert.Single(host.Graph.Messages, m => m.To == bob).At;
        Assert.True(next - limited >= TimeSpan.FromSeconds(0.95), $"the next send came {next - limited} after 130429");
    }

    [Fact]
    public async Task SendWithoutMessageId_IsUnknown_AndNotResent_WhenAStatusReconcilesIt()
    {
        var to = OutboxHost.NewRecipient();
        host.Graph.Respond(r => r.To == to ? (200, """{"messaging_product":"whatsapp"}""", null) : null);
        var key = await QueueInWindowAsync(to);

        await host.DrainAsync();
        Assert.Equal("unknown", (await host.RowAsync(key)).Status);
        Assert.Empty(await host.DelayedAsync()); // never retried: it may have reached Meta

        // Meta did take it: its status webhook names our key and settles the row.
        var status = StatusWebhooks.Status("wamid.RECONCILED" + Guid.NewGuid().ToString("N"), "sent", to, key);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Api.CreateClient().SendAsync(Webhooks.Post(status))).StatusCode);
        await RunDueRetriesAsync(TimeSpan.FromMinutes(1));

        Assert.Single(host.Graph.Messages, m => m.To == to);
        var row = await host.RowAsync(key);
        Assert.Equal("sent", row.Status);
        Assert.StartsWith("wamid.RECONCILED", row.ProviderId);
    }

    [Fact]
    public async Task ConnectionRefused_IsRetryingNotUnknown_BecauseNothingWasSent()
    {
        // The real clock: the transport retries its connection attempts after short (Polly) delays.
        await using var offline = await OutboxHost.StartAsync(s => s[WhatsAppSettings.Keys.GraphBaseUrl] = $"http://127.0.0.1:{HostProcess.FreePort()}/");
        var to = OutboxHost.NewRecipient();
        await offline.AddContactAsync(to, TimeSpan.FromHours(1));
        var key = await offline.QueueTextAsync(to);

        await offline.DrainAsync();

        var row = await offline.RowAsync(key);
        Assert.Equal(("retrying", 1), (row.Status, row.Attempts));
        Assert.Single(await offline.DelayedAsync());
    }
}
