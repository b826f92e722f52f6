using MicAi.Core;
using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using System.Net;
using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Tests.EndToEnd;
using MicAi.Tests.Functions;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Outbox;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace MicAi.Tests.Rehearsal;

/// <summary>
/// The first deploy on Azure Functions, rehearsed: the published worker under the stand-in host with the real host's
/// load rules and prod settings (<see cref="ProdWorkerFixture"/>: MICAI_APP_ENV=prod, secrets from X_FILE files, the
/// schema migrated by the azd predeploy hook), here with every query through PgBouncer and the server itself only as
/// MICAI_DATABASE_DIRECT_URL, on TLS Redis with an ACL user. The timers are run by hand, as their schedules would.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FunctionsRehearsalTests(PooledProdWorkerFixture fx) : IClassFixture<PooledProdWorkerFixture>
{
    [Fact]
    public async Task SignedWebhook_ThroughWorkerPoll_GetsExactlyOneReply()
    {
        var (from, wamid) = await PostAsync();

        await TimerAsync("WorkerPoll");
        await TimerAsync("WorkerPoll"); // a second run finds nothing left to send

        Assert.Equal("sent", await StatusAsync(wamid));
        var reply = Assert.Single(fx.Graph.Messages, m => m.To == from);
        Assert.Equal($"reply:{wamid}", reply.Body["biz_opaque_callback_data"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendRefusedOnceWith500_IsPromotedByTheSchedulerTimer_AndAnsweredOnceByWorkerPoll()
    {
        var (from, wamid) = await PostAsync(refuseFirstSend: true);
        await TimerAsync("WorkerPoll");
        Assert.Equal("retrying", await StatusAsync(wamid));

        // The retry waits in the delayed set: once it is due, WorkerPoll alone does not see it; the Scheduler moves it.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(TestServers.RedisUrl));
        var delayed = new RedisKeys(fx.WorkerAppSettings[QueueSettings.Keys.RedisKeyPrefix]).DelayedJobs;
        var due = Assert.Single(await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync(delayed)).Score;
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, due - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())) + TimeSpan.FromMilliseconds(100));
        await TimerAsync("WorkerPoll");
        Assert.Equal("retrying", await StatusAsync(wamid));

        await TimerAsync("Scheduler");
        await TimerAsync("WorkerPoll");

        Assert.Equal("sent", await StatusAsync(wamid));
        Assert.Equal(0, await redis.GetDatabase().SortedSetLengthAsync(delayed));
        Assert.Equal(2, fx.Graph.Messages.Count(m => m.To == from)); // the refused send and its retry
        Assert.Equal(2, await fx.Db.ScalarAsync<int>("SELECT attempts FROM outbound_messages WHERE idempotency_key = $1", $"reply:{wamid}"));
    }

    [Fact]
    public async Task AdminApi_AtManage_Answers200WithTheKey_And401Without()
    {
        Assert.Equal(HttpStatusCode.OK, await AdminStatsAsync(ProdWorkerFixture.ProdAdminKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await AdminStatsAsync(null));
    }

    [Fact]
    public async Task NoLogLine_ContainsASecretOrAPostgresOrRedisError_WhileAnsweringRetryingAndServingAdmin()
    {
        var (_, wamid) = await PostAsync(refuseFirstSend: true);
        for (var i = 0; i < 60 && await StatusAsync(wamid) != "sent"; i++)
        {
            await TimerAsync("Scheduler");
            await TimerAsync("WorkerPoll");
            await Task.Delay(250);
        }
        Assert.Equal("sent", await StatusAsync(wamid));
        Assert.Equal(HttpStatusCode.OK, await AdminStatsAsync(ProdWorkerFixture.ProdAdminKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await AdminStatsAsync("not-the-key"));

        var findings = LogScan.Findings([("functions worker", fx.Host.Diagnostics()), ("azd predeploy hook", fx.HookOutput)], fx.SecretValues);

        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    private async Task<(string From, string Wamid)> PostAsync(bool refuseFirstSend = false)
    {
        var from = OutboxHost.NewRecipient();
        var wamid = Webhooks.NewWamid();
        if (refuseFirstSend) fx.Graph.RefuseFirstMessageWith500(from);
        var (response, invocation) = await fx.Host.InvokeHttpAsync("WebhookPost", Webhooks.Post(Webhooks.Text(from, wamid, "michael: hello")), CancellationToken.None);
        Assert.True(invocation.Succeeded, fx.Host.Diagnostics());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (from, wamid);
    }

    private async Task TimerAsync(string function)
    {
        var invocation = await fx.Host.InvokeTimerAsync(function, CancellationToken.None);
        Assert.True(invocation.Succeeded, $"{function} failed: {invocation.Exception}\n{fx.Host.Diagnostics()}");
    }

    private Task<string?> StatusAsync(string wamid) =>
        fx.Db.ScalarAsync<string?>("SELECT status FROM outbound_messages WHERE idempotency_key = $1", $"reply:{wamid}");

    /// <summary>GET /manage/stats as App Service's front end forwards it: the caller's address in Client-IP.</summary>
    private async Task<HttpStatusCode> AdminStatsAsync(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/manage/stats");
        request.Headers.Add(ClientAddressResolver.AzureClientIp, "198.51.100.7:50123");
        if (key is not null) request.Headers.Add("x-admin-key", key);
        var (response, _) = await fx.Host.InvokeHttpAsync("Admin", request, CancellationToken.None);
        return response.StatusCode;
    }
}

/// <summary><see cref="ProdWorkerFixture"/> on Azure, behind a transaction-mode pooler: queries through PgBouncer.</summary>
public sealed class PooledProdWorkerFixture(IMessageSink diagnostics) : ProdWorkerFixture(diagnostics)
{
    protected override Dictionary<string, string> Secrets(string databaseUrl)
    {
        var secrets = base.Secrets(TestServers.ThroughPooler(databaseUrl));
        secrets[StorageSettings.Keys.DatabaseDirectUrl] = databaseUrl;
        return secrets;
    }

    protected override Dictionary<string, string> Settings(string databaseUrl, GraphStub graph)
    {
        var settings = base.Settings(databaseUrl, graph);
        settings[AdminSettings.Keys.AzureSiteName] = "micai-func-rehearsal"; // set by App Service in every app
        return settings;
    }
}
