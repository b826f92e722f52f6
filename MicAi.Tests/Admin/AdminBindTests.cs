using System.Net;
using System.Text.Json;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

public sealed class AdminBindTests(AdminApiFixture fx) : IClassFixture<AdminApiFixture>
{
    private static string NewWaId() => "1555" + Random.Shared.NextInt64(1_000_000, 9_999_999);

    private async Task<long> NewAgentAsync(string name) =>
        await fx.Db.ScalarAsync<long>("INSERT INTO agents (name) VALUES ($1) RETURNING id", name);

    [Fact]
    public async Task Bind_Returns200AndCreatesTheContact_WhenContactHasNotWrittenYet()
    {
        var waId = NewWaId();
        var agentId = await NewAgentAsync("sales");

        var response = await fx.Api.CreateAdminClient().PostAsync($"/admin/bind/{waId}/{agentId}", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ok", json.GetProperty("status").GetString());
        Assert.Equal(waId, json.GetProperty("wa_id").GetString());
        Assert.Equal(agentId, json.GetProperty("agent_id").GetInt64());
        Assert.Equal(agentId, await fx.Db.ScalarAsync<long>("SELECT agent_id FROM contacts WHERE wa_id = $1", waId));
    }

    [Fact]
    public async Task Bind_MovesAnExistingContact_AndKeepsItsProfile()
    {
        var waId = NewWaId();
        var first = await NewAgentAsync("first");
        var second = await NewAgentAsync("second");
        await fx.Db.ExecuteAsync("INSERT INTO contacts (wa_id, profile_name, agent_id) VALUES ($1, 'Ana Souza', $2)", waId, first);

        var response = await fx.Api.CreateAdminClient().PostAsync($"/admin/bind/{waId}/{second}", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{second}|Ana Souza", await fx.Db.ScalarAsync<string>("SELECT agent_id || '|' || profile_name FROM contacts WHERE wa_id = $1", waId));
        Assert.Equal(1L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE wa_id = $1", waId));
    }

    [Fact]
    public async Task Bind_Returns404AndBindsNothing_WhenAgentIsUnknown()
    {
        var waId = NewWaId();

        var response = await fx.Api.CreateAdminClient().PostAsync($"/admin/bind/{waId}/987654", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE wa_id = $1", waId));
    }

    [Fact]
    public async Task Bind_Returns400WithFieldError_WhenAgentIdIsNeitherANumberNorAPythonAgentId()
    {
        var response = await fx.Api.CreateAdminClient().PostAsync($"/admin/bind/{NewWaId()}/sales%20team!", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(json.GetProperty("errors").TryGetProperty("agent_id", out _));
    }
}
