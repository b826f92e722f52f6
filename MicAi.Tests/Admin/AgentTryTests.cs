using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

/// <summary>
/// POST /admin/agents/{id}/try runs the worker's decision (gate, STOP/START, rule → tool → LLM → fallback) and only
/// shows it: a Graph stub that would record any send stays silent, and no table gains a row.
/// </summary>
public sealed class AgentTryTests : IAsyncLifetime
{
    private GraphStub graph = null!;
    private MicAiApiFactory api = null!;

    public async Task InitializeAsync()
    {
        graph = await GraphStub.StartAsync();
        api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl));
        _ = api.Server;
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await graph.DisposeAsync();
    }

    private async Task<JsonObject> TryAsync(long agentId, string text)
    {
        var response = await api.CreateAdminClient().PostAsJsonAsync($"/admin/agents/{agentId}/try", new { text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<long> RowsAsync() => await api.Get<Npgsql.NpgsqlDataSource>().ScalarAsync<long>("""
        SELECT (SELECT count(*) FROM outbound_messages) + (SELECT count(*) FROM conversation_turns)
             + (SELECT count(*) FROM inbound_messages) + (SELECT count(*) FROM schedules) + (SELECT count(*) FROM llm_usage)
             + (SELECT count(*) FROM contacts)
        """);

    [Fact]
    public async Task TryMessage_ShowsTheRuleAndItsReply_AndWritesNoRowAndCallsNoGraph()
    {
        var admin = api.CreateAdminClient();
        var agent = (await (await admin.PostAsJsonAsync("/admin/agents", new { name = "try-me", allowed_tools = new[] { "remind" }, fallback_reply = "Pardon, {text}?" }))
            .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        var rule = (await (await admin.PostAsJsonAsync("/admin/rules", new { agent_id = agent, keywords = "hours", reply_text = "Open 9 to 17, {name}." }))
            .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        var before = await RowsAsync();

        var byRule = await TryAsync(agent, "michael: what are your hours?");
        var byTool = await TryAsync(agent, "michael: remind me in 10 minutes to call mom");
        var byFallback = await TryAsync(agent, "michael: blue");
        var stop = await TryAsync(agent, "STOP");
        var unaddressed = await TryAsync(agent, "blue");

        Assert.Equal("rule", byRule["responder"]!.GetValue<string>());
        Assert.Equal(rule, byRule["matched_rule_id"]!.GetValue<long>());
        Assert.Equal("Open 9 to 17, there.", byRule["reply"]!.GetValue<string>());
        Assert.Equal("tool:remind", byTool["responder"]!.GetValue<string>());
        Assert.Null(byTool["reply"]);
        Assert.Equal("fallback", byFallback["responder"]!.GetValue<string>());
        Assert.Equal("Pardon, blue?", byFallback["reply"]!.GetValue<string>());
        Assert.Equal("opt_out", stop["responder"]!.GetValue<string>());
        Assert.Equal("ignored", unaddressed["responder"]!.GetValue<string>()); // no invoke prefix: the worker would not answer
        Assert.Equal(before, await RowsAsync()); // no reminder, no contact, no ledger row, no turn
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task TryMessage_ForAToolTheAgentMayNotUse_ShowsTheFallback()
    {
        var admin = api.CreateAdminClient();
        var agent = (await (await admin.PostAsJsonAsync("/admin/agents", new { name = "no-tools", fallback_reply = "No." }))
            .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        var answer = await TryAsync(agent, "michael: weather in Lisbon");

        Assert.Equal("fallback", answer["responder"]!.GetValue<string>());
        Assert.Equal("No.", answer["reply"]!.GetValue<string>());
    }

    [Fact]
    public async Task TryMessage_Is404ForAnUnknownAgent_And400ForNoText()
    {
        var admin = api.CreateAdminClient();

        await ProblemAssert.StatusAsync(await admin.PostAsJsonAsync("/admin/agents/99999/try", new { text = "hi" }), 404);
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/agents/1/try", new { text = "  " }), "text");
    }
}
