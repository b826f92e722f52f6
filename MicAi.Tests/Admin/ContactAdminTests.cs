using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

public sealed class ContactAdminTests(AdminResourceFixture fx) : IClassFixture<AdminResourceFixture>
{
    private static string NewWaId() => "4477" + Random.Shared.Next(10000000, 99999999);

    [Fact]
    public async Task Contact_BindGetOptOutAndUnbind()
    {
        var admin = fx.Admin();
        var waId = NewWaId();
        var agentId = await fx.CreateAgentAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/admin/bind/{waId}/{agentId}", null)).StatusCode);

        var contact = (await admin.GetFromJsonAsync<JsonObject>($"/admin/contacts/{waId}"))!;
        Assert.Equal(agentId, contact["agent_id"]!.GetValue<long>());
        Assert.False(contact["opted_out"]!.GetValue<bool>());

        var put = await admin.PutAsJsonAsync($"/admin/contacts/{waId}", new { opted_out = true, time_zone = "Europe/Lisbon" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = (await put.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(updated["opted_out"]!.GetValue<bool>());
        Assert.NotNull(updated["opted_out_at"]);
        Assert.Equal("Europe/Lisbon", updated["time_zone"]!.GetValue<string>());
        var optedOut = (await admin.GetFromJsonAsync<JsonObject>($"/admin/contacts?opted_out=true&limit=200"))!;
        Assert.Contains(optedOut["items"]!.AsArray(), c => c!["wa_id"]!.GetValue<string>() == waId);
        var bound = (await admin.GetFromJsonAsync<JsonObject>($"/admin/contacts?agent_id={agentId}"))!;
        Assert.Equal(waId, Assert.Single(bound["items"]!.AsArray())!["wa_id"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/bind/{waId}")).StatusCode);
        Assert.Null((await admin.GetFromJsonAsync<JsonObject>($"/admin/contacts/{waId}"))!["agent_id"]);
        await ProblemAssert.StatusAsync(await admin.DeleteAsync($"/admin/bind/{NewWaId()}"), 404);
        await ProblemAssert.StatusAsync(await admin.GetAsync($"/admin/contacts/{NewWaId()}"), 404);
    }

    [Fact]
    public async Task Contact_InvalidInput_ReturnsFieldErrors()
    {
        var admin = fx.Admin();
        await ProblemAssert.FieldErrorAsync(await admin.PutAsJsonAsync($"/admin/contacts/{NewWaId()}", new { time_zone = "Mars/Olympus" }), "time_zone");
        await ProblemAssert.FieldErrorAsync(await admin.GetAsync("/admin/contacts?opted_out=maybe"), "opted_out");
        await ProblemAssert.FieldErrorAsync(await admin.GetAsync("/admin/contacts?offset=-1"), "offset");
    }

    [Fact]
    public async Task Turns_ArePagedNewestFirst()
    {
        var waId = NewWaId();
        await fx.Admin().PutAsJsonAsync($"/admin/contacts/{waId}", new { });
        for (var i = 0; i < 5; i++)
            await fx.Db.ExecuteAsync("INSERT INTO conversation_turns (wa_id, agent_id, inbound_wamid, inbound_text, reply_text, responder) VALUES ($1, 1, $2, $3, 'r', 'rule')",
                waId, Webhooks.NewWamid(), $"message {i}");

        var page1 = (await fx.Admin().GetFromJsonAsync<JsonObject>($"/admin/contacts/{waId}/turns?limit=2"))!;
        var page3 = (await fx.Admin().GetFromJsonAsync<JsonObject>($"/admin/contacts/{waId}/turns?limit=2&offset=4"))!;

        Assert.Equal(new[] { "message 4", "message 3" }, page1["items"]!.AsArray().Select(t => t!["inbound_text"]!.GetValue<string>()));
        Assert.Equal(2, page1["next_offset"]!.GetValue<int>());
        Assert.Equal("message 0", Assert.Single(page3["items"]!.AsArray())!["inbound_text"]!.GetValue<string>());
        Assert.Null(page3["next_offset"]);
        await ProblemAssert.StatusAsync(await fx.Admin().GetAsync($"/admin/contacts/{NewWaId()}/turns"), 404);
    }
}
