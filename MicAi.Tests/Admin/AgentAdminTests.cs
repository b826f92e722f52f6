using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MicAi.Tests.Admin;

public sealed class AgentAdminTests(AdminResourceFixture fx) : IClassFixture<AdminResourceFixture>
{
    [Fact]
    public async Task Agent_CreateGetReplaceDelete_RoundTripsInSnakeCase()
    {
        var admin = fx.Admin();
        var created = await admin.PostAsJsonAsync("/admin/agents", new
        {
            name = "concierge", persona = "You are polite.", fallback_reply = "Pardon?", allowed_tools = new[] { "Weather", "remind", "weather" },
            llm_enabled = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var agent = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = agent["id"]!.GetValue<long>();
        Assert.Equal($"/admin/agents/{id}", created.Headers.Location?.ToString());
        Assert.Equal("You are polite.", agent["persona"]!.GetValue<string>());
        Assert.Equal("Pardon?", agent["fallback_reply"]!.GetValue<string>());
        Assert.Equal(new[] { "weather", "remind" }, agent["allowed_tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.True(agent["llm_enabled"]!.GetValue<bool>());
        Assert.False(agent["is_default"]!.GetValue<bool>());

        var replacement = new { name = "concierge-2", persona = "You are brief.", allowed_tools = Array.Empty<string>() };
        var first = await (await admin.PutAsJsonAsync($"/admin/agents/{id}", replacement)).Content.ReadFromJsonAsync<JsonObject>();
        var second = await admin.PutAsJsonAsync($"/admin/agents/{id}", replacement);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var again = (await second.Content.ReadFromJsonAsync<JsonObject>())!;
        foreach (var field in new[] { "name", "persona", "fallback_reply", "llm_enabled" })
            Assert.Equal(first![field]!.ToJsonString(), again[field]!.ToJsonString()); // idempotent: the same state twice
        Assert.False(again["llm_enabled"]!.GetValue<bool>()); // PUT replaces: absent means default
        Assert.Equal("concierge-2", (await admin.GetFromJsonAsync<JsonObject>($"/admin/agents/{id}"))!["name"]!.GetValue<string>());

        var list = (await admin.GetFromJsonAsync<JsonObject>("/admin/agents?limit=200"))!;
        Assert.Contains(list["items"]!.AsArray(), a => a!["id"]!.GetValue<long>() == id);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/agents/{id}")).StatusCode);
        await ProblemAssert.StatusAsync(await admin.GetAsync($"/admin/agents/{id}"), 404);
        await ProblemAssert.StatusAsync(await admin.DeleteAsync($"/admin/agents/{id}"), 404);
    }

    [Fact]
    public async Task Agent_Returns404_ForMissingOrNonNumericIds()
    {
        var admin = fx.Admin();
        await ProblemAssert.StatusAsync(await admin.GetAsync("/admin/agents/999999"), 404);
        await ProblemAssert.StatusAsync(await admin.GetAsync("/admin/agents/abc"), 404);
        await ProblemAssert.StatusAsync(await admin.PutAsJsonAsync("/admin/agents/999999", new { name = "x" }), 404);
        await ProblemAssert.StatusAsync(await admin.GetAsync("/admin/agents/999999/rules"), 404);
    }

    [Fact]
    public async Task Agent_InvalidInput_ReturnsProblemDetailsWithFieldErrors()
    {
        var admin = fx.Admin();
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/agents", new { persona = "no name" }), "name");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/agents", new { name = "x", allowed_tools = new[] { "teleport" } }), "allowed_tools");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/agents", new { name = "x", llm_enabled = "yes" }), "llm_enabled");
        await ProblemAssert.FieldErrorAsync(await admin.GetAsync("/admin/agents?limit=0"), "limit");
    }

    [Fact]
    public async Task DefaultAgent_CannotBeDeleted()
    {
        await ProblemAssert.StatusAsync(await fx.Admin().DeleteAsync("/admin/agents/1"), 409);
        Assert.Equal(HttpStatusCode.OK, (await fx.Admin().GetAsync("/admin/agents/1")).StatusCode);
    }
}
