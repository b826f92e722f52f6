using System.Net;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Functions;

/// <summary>The published worker with production settings, under the stand-in host's load rules.</summary>
public sealed class FunctionsProdTests(ProdWorkerFixture fx) : IClassFixture<ProdWorkerFixture>
{
    [Fact]
    public async Task SignedWebhook_IsAnsweredThroughWorkerPoll_InProd()
    {
        const string from = "15550007601";
        var (received, posted) = await fx.Host.InvokeHttpAsync("WebhookPost",
            Webhooks.Post(Webhooks.Text(from, Webhooks.NewWamid(), "michael: hello")), CancellationToken.None);
        Assert.True(posted.Succeeded, fx.Host.Diagnostics());
        Assert.Equal(HttpStatusCode.OK, received.StatusCode);

        var poll = await fx.Host.InvokeTimerAsync("WorkerPoll", CancellationToken.None);

        Assert.True(poll.Succeeded, fx.Host.Diagnostics());
        Assert.Contains(fx.Graph.Messages, m => m.To == from);
    }

    [Fact]
    public async Task UnsignedWebhook_Returns401_InProd()
    {
        var (response, _) = await fx.Host.InvokeHttpAsync("WebhookPost",
            Webhooks.Post(Webhooks.Text("15550007602", Webhooks.NewWamid(), "michael: hello"), secret: null), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AdminApi_AtManage_Returns401WithoutTheKey_And200WithIt()
    {
        var (without, _) = await fx.Host.InvokeHttpAsync("Admin", new HttpRequestMessage(HttpMethod.Get, "/manage/stats"), CancellationToken.None);
        var request = new HttpRequestMessage(HttpMethod.Get, "/manage/stats");
        request.Headers.Add("x-admin-key", ProdWorkerFixture.ProdAdminKey);
        var (with, invocation) = await fx.Host.InvokeHttpAsync("Admin", request, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.True(invocation.Succeeded, fx.Host.Diagnostics());
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task Schema_WasMigratedByTheDeployHook_NotByTheWorkerStart()
    {
        Assert.Contains("migrating", fx.HookOutput);
        Assert.True(await fx.Db.ScalarAsync<long>("SELECT count(*) FROM schemaversions") > 0);
        // MICAI_MIGRATE_ON_START is unset: the worker logged no migration of its own.
        Assert.DoesNotContain("Migrations applied", fx.Host.Diagnostics());
    }
}
