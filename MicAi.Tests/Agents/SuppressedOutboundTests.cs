using System.Net;
using System.Text.Json;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Agents;

/// <summary>MICAI_OUTBOUND_REPLY_ENABLED=false (the default): no HTTP call, the would-be reply is recorded.</summary>
public sealed class SuppressedOutboundTests : IAsyncLifetime
{
    private GraphStub graph = null!;
    private MicAiApiFactory api = null!;

    public async Task InitializeAsync()
    {
        graph = await GraphStub.StartAsync();
        var settings = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        settings.Remove(OutboundSettings.Keys.ReplyEnabled);
        api = new MicAiApiFactory(settings);
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await graph.DisposeAsync();
    }

    [Fact]
    public async Task Reply_IsRecordedSuppressed_AndNoCallReachesGraph_WhenOutboundIsDisabled()
    {
        var wamid = Webhooks.NewWamid();
        var response = await api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Text("15550002222", wamid, "michael: hello")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        while (await api.Get<JobRunner>().RunOnceAsync("test", CancellationToken.None) > 0) { }

        Assert.Empty(graph.Requests);
        var db = api.Get<NpgsqlDataSource>();
        Assert.Equal("suppressed", await db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = $1", $"reply:{wamid}"));
        Assert.StartsWith("I heard: hello.", await db.ScalarAsync<string>("SELECT body FROM outbound_messages WHERE idempotency_key = $1", $"reply:{wamid}"));

        var stats = JsonDocument.Parse(await api.CreateAdminClient().GetStringAsync("/admin/stats")).RootElement;
        Assert.Equal(1, stats.GetProperty("outbound").GetProperty("suppressed").GetInt64());
        Assert.False(stats.GetProperty("outbound_env_enabled").GetBoolean());
    }
}
