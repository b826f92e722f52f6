using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using System.Net;
using MicAi.Core.Configuration;
using MicAi.Tests.EndToEnd;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Outbox;

namespace MicAi.Tests.Rehearsal;

/// <summary>
/// The first deploy, rehearsed (<see cref="HostDeployment"/>): the published Host as Render runs it, in prod, on
/// Postgres behind PgBouncer and TLS Redis with an ACL user. Each fact is one thing an operator would check after
/// the deploy; the deployment is started once per class and its processes' output is scanned as a whole.
/// </summary>
public abstract class HostRehearsalContract(HostDeployment deployment)
{
    private const string Operator = "198.51.100.7";
    private const string Attacker = "203.0.113.66";

    [Fact]
    public async Task MigrateRole_AsRendersPreDeployCommand_AppliesTheSchema_SoTheServicesFindNothingLeftToApply()
    {
        Assert.Equal(0, deployment.Migrate.ExitCode);
        Assert.Matches("Migrations applied: [1-9][0-9]* new script", deployment.Migrate.Output);
        Assert.True(await deployment.Db.ScalarAsync<long>("SELECT count(*) FROM schemaversions") > 0);
        Assert.Contains("Migrations applied: 0 new script", deployment.Render.Api.Output); // healthy, so past its own check
    }

    [Fact]
    public async Task SignedWebhook_ThroughRendersProxy_GetsExactlyOneReplyAtTheGraphStub()
    {
        var (from, wamid) = await PostAsync();

        await WaitUntilSentAsync(wamid);

        var reply = Assert.Single(deployment.Graph.Messages, m => m.To == from);
        Assert.Equal($"/{WhatsAppSettings.DefaultGraphVersion}/{deployment.Secret(WhatsAppSettings.Keys.PhoneNumberId)}/messages", reply.Path);
        Assert.Equal($"Bearer {deployment.Secret(WhatsAppSettings.Keys.AccessToken)}", reply.Authorization);
        Assert.Equal($"reply:{wamid}", reply.Body["biz_opaque_callback_data"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendRefusedOnceWith500_IsRetriedThroughTheDelayedSet_AndAnsweredOnce()
    {
        var (from, wamid) = await PostAsync(refuseFirstSend: true);

        await WaitUntilSentAsync(wamid);

        Assert.Equal(2, deployment.Graph.Messages.Count(m => m.To == from)); // the refused send and its retry
        Assert.Equal(2, await deployment.Db.ScalarAsync<int>("SELECT attempts FROM outbound_messages WHERE idempotency_key = $1", $"reply:{wamid}"));
        Assert.Equal(0L, await deployment.Db.ScalarAsync<long>("SELECT count(*) FROM dead_jobs"));
    }

    [Fact]
    public async Task AdminApi_BehindRendersProxy_Answers200WithTheKey_401Without_AndTenBadKeysLockOutOnlyTheirSender()
    {
        var key = deployment.Secret(AdminSettings.Keys.ApiKey);
        Assert.Equal(HttpStatusCode.OK, await AdminStatsAsync(Operator, key));
        Assert.Equal(HttpStatusCode.Unauthorized, await AdminStatsAsync(Operator, null));

        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.Unauthorized, await AdminStatsAsync(Attacker, $"wrong-{i}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AdminStatsAsync(Attacker, "wrong-10"));

        // Every request came from Render's proxy: only the address it forwarded tells the operator from the attacker.
        Assert.Equal(HttpStatusCode.OK, await AdminStatsAsync(Operator, key));
    }

    [Fact]
    public async Task NoProcess_LogsASecretOrAPostgresOrRedisError_WhileAnsweringRetryingAndServingAdmin()
    {
        var (_, wamid) = await PostAsync(refuseFirstSend: true);
        await WaitUntilSentAsync(wamid);
        Assert.Equal(HttpStatusCode.OK, await AdminStatsAsync(Operator, deployment.Secret(AdminSettings.Keys.ApiKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await AdminStatsAsync("192.0.2.10", "not-the-key"));

        var findings = LogScan.Findings(deployment.Outputs, deployment.Secrets);

        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    private async Task<(string From, string Wamid)> PostAsync(bool refuseFirstSend = false)
    {
        var from = OutboxHost.NewRecipient();
        var wamid = Webhooks.NewWamid();
        if (refuseFirstSend) deployment.Graph.RefuseFirstMessageWith500(from);
        using var http = deployment.Render.CreateClient();
        var body = Webhooks.Text(from, wamid, "michael: hello");
        var response = await http.SendAsync(Webhooks.Post(body, deployment.Secret(WhatsAppSettings.Keys.AppSecret)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (from, wamid);
    }

    /// <summary>Until the reply's ledger row is 'sent', then a moment more for any duplicate to show itself.</summary>
    private async Task WaitUntilSentAsync(string wamid)
    {
        const string status = "SELECT status FROM outbound_messages WHERE idempotency_key = $1";
        for (var i = 0; i < 300 && await deployment.Db.ScalarAsync<string?>(status, $"reply:{wamid}") != "sent"; i++) await Task.Delay(100);
        Assert.True(await deployment.Db.ScalarAsync<string?>(status, $"reply:{wamid}") == "sent",
            "no reply sent within 30 s:\n" + string.Join('\n', deployment.Outputs.Select(o => $"--- {o.Process}:\n{o.Output}")));
        await Task.Delay(500);
    }

    private async Task<HttpStatusCode> AdminStatsAsync(string client, string? key)
    {
        using var http = deployment.Render.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/stats");
        request.Headers.Add("X-Forwarded-For", RenderProxyHop.ForwardedFor(client));
        if (key is not null) request.Headers.Add("x-admin-key", key);
        return (await http.SendAsync(request)).StatusCode;
    }
}

[Collection(EndToEndCollection.Name)]
public sealed class ProductionRehearsalTests(StandaloneRedisDeployment deployment)
    : HostRehearsalContract(deployment), IClassFixture<StandaloneRedisDeployment>;

[Collection(EndToEndCollection.Name)]
public sealed class ProductionRehearsalClusterTests(RedisClusterDeployment deployment)
    : HostRehearsalContract(deployment), IClassFixture<RedisClusterDeployment>;
