using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MicAi.Tests.Admin;

public sealed class RuleAdminTests(AdminResourceFixture fx) : IClassFixture<AdminResourceFixture>
{
    [Fact]
    public async Task Rules_ListByAgent_ReplaceAndDelete()
    {
        var admin = fx.Admin();
        var agentId = await fx.CreateAgentAsync();
        var low = await (await admin.PostAsJsonAsync("/admin/rules", new { agent_id = agentId, keywords = "late", reply_text = "b", priority = 50 }))
            .Content.ReadFromJsonAsync<JsonObject>();
        var high = await (await admin.PostAsJsonAsync("/admin/rules", new { agent_id = agentId, keywords = new[] { "early" }, reply_text = "a", priority = 5 }))
            .Content.ReadFromJsonAsync<JsonObject>();

        var listed = (await admin.GetFromJsonAsync<JsonArray>($"/admin/agents/{agentId}/rules"))!;
        Assert.Equal(new[] { high!["id"]!.GetValue<long>(), low!["id"]!.GetValue<long>() }, listed.Select(r => r!["id"]!.GetValue<long>()));

        var id = low["id"]!.GetValue<long>();
        var put = await admin.PutAsJsonAsync($"/admin/rules/{id}", new { rule_type = "prefix", prefix = "order", action = "tool", tool = "remind", enabled = false });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var rule = (await admin.GetFromJsonAsync<JsonObject>($"/admin/rules/{id}"))!;
        Assert.Equal((agentId, "prefix", "order", "tool", "remind", false),
            (rule["agent_id"]!.GetValue<long>(), rule["rule_type"]!.GetValue<string>(), rule["prefix"]!.GetValue<string>(),
             rule["action"]!.GetValue<string>(), rule["tool"]!.GetValue<string>(), rule["enabled"]!.GetValue<bool>()));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/rules/{id}")).StatusCode);
        await ProblemAssert.StatusAsync(await admin.GetAsync($"/admin/rules/{id}"), 404);
        await ProblemAssert.StatusAsync(await admin.PutAsJsonAsync($"/admin/rules/{id}", new { keywords = "x", reply_text = "y" }), 404);
    }

    [Fact]
    public async Task Rules_InvalidInput_ReturnsFieldErrors()
    {
        var admin = fx.Admin();
        var agentId = await fx.CreateAgentAsync();
        var rule = await (await admin.PostAsJsonAsync("/admin/rules", new { agent_id = agentId, keywords = "x", reply_text = "y" })).Content.ReadFromJsonAsync<JsonObject>();
        var id = rule!["id"]!.GetValue<long>();

        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules", new { agent_id = agentId, rule_type = "regex", reply_text = "y" }), "rule_type");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules", new { agent_id = 999999, keywords = "x", reply_text = "y" }), "agent_id");
        await ProblemAssert.FieldErrorAsync(await admin.PutAsJsonAsync($"/admin/rules/{id}", new { keywords = "x", action = "tool" }), "tool");
        await ProblemAssert.FieldErrorAsync(await admin.PutAsJsonAsync($"/admin/rules/{id}", new { agent_id = 999999, keywords = "x", reply_text = "y" }), "agent_id");
    }
}
