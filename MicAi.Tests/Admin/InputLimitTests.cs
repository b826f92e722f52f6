using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Agents;
using MicAi.Core.Http;
using MicAi.Core.Scheduling;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.Admin;

/// <summary>Every admin input has a size limit: refused with a 400 field error past it, accepted at it, stated in the OpenAPI document.</summary>
public sealed class InputLimitTests(AdminResourceFixture fx) : IClassFixture<AdminResourceFixture>
{
    private static string Text(int length) => new('a', length);

    [Fact]
    public async Task Rule_Refused_WhenKeywordsAreTooManyOrTooLong_AcceptedAtTheLimits()
    {
        var admin = fx.Admin();
        var agentId = await fx.CreateAgentAsync();
        var tooMany = Enumerable.Range(0, RuleInput.MaxKeywords + 1).Select(i => $"k{i}").ToArray();
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules", new { agent_id = agentId, keywords = tooMany, reply_text = "y" }), "keywords");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules",
            new { agent_id = agentId, keywords = new[] { "ok", Text(RuleInput.MaxKeywordLength + 1) }, reply_text = "y" }), "keywords");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules",
            new { agent_id = agentId, rule_type = "prefix", prefix = Text(RuleInput.MaxKeywordLength + 1), reply_text = "y" }), "prefix");

        var atLimit = Enumerable.Range(0, RuleInput.MaxKeywords).Select(i => $"{i}{Text(RuleInput.MaxKeywordLength - 4)}").ToArray();
        var accepted = await admin.PostAsJsonAsync("/admin/rules", new { agent_id = agentId, keywords = atLimit, reply_text = Text(MetaLimits.TextBody) });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Rule_Refused_WhenReplyIsLongerThanAWhatsAppTextOrPriorityOutOfRange()
    {
        var admin = fx.Admin();
        var agentId = await fx.CreateAgentAsync();
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules",
            new { agent_id = agentId, keywords = "x", reply_text = Text(MetaLimits.TextBody + 1) }), "reply_text");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules",
            new { agent_id = agentId, keywords = "x", reply_text = "y", priority = RuleInput.MaxPriority + 1 }), "priority");
    }

    [Fact]
    public async Task Rule_Refused_WhenTheAgentAlreadyHasTheMostRules()
    {
        var admin = fx.Admin();
        var agentId = await fx.CreateAgentAsync("full");
        await using var db = fx.Db.CreateCommand(
            "INSERT INTO agent_rules (agent_id, rule_type, keywords, reply_text) SELECT $1, 'keyword', ARRAY['k' || i], 'r' FROM generate_series(1, $2) i");
        db.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = agentId });
        db.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = RuleInput.MaxRulesPerAgent - 1 });
        await db.ExecuteNonQueryAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/admin/rules", new { agent_id = agentId, keywords = "last", reply_text = "y" })).StatusCode);
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules", new { agent_id = agentId, keywords = "one more", reply_text = "y" }), "agent_id");

        var other = await (await admin.PostAsJsonAsync("/admin/rules", new { keywords = "elsewhere", reply_text = "y" })).Content.ReadFromJsonAsync<JsonObject>();
        await ProblemAssert.FieldErrorAsync(await admin.PutAsJsonAsync($"/admin/rules/{other!["id"]}",
            new { agent_id = agentId, keywords = "moved", reply_text = "y" }), "agent_id");
    }

    [Fact]
    public async Task Agent_Refused_WhenNamePersonaOrFallbackAreTooLong()
    {
        var admin = fx.Admin();
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/agents", new { name = Text(AgentInput.MaxName + 1) }), "name");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/agents", new { name = "a", persona = Text(AgentInput.MaxPersona + 1) }), "persona");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/agents", new { name = "a", fallback_reply = Text(MetaLimits.TextBody + 1) }), "fallback_reply");
        var atLimit = await admin.PostAsJsonAsync("/admin/agents",
            new { name = Text(AgentInput.MaxName), persona = Text(AgentInput.MaxPersona), fallback_reply = Text(MetaLimits.TextBody) });
        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
    }

    [Fact]
    public async Task Schedule_Refused_WhenTheContactAlreadyHasTheMostSchedules_OrTextIsTooLong()
    {
        var admin = fx.Admin();
        const string waId = "351911000777";
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules",
            new { wa_id = waId, message_text = Text(MetaLimits.TextBody + 1), interval_minutes = 60 }), "message_text");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules",
            new { wa_id = waId, message_text = "x", interval_minutes = ScheduleInput.MaxIntervalMinutes + 1 }), "interval_minutes");

        await using var db = fx.Db.CreateCommand(
            "INSERT INTO schedules (wa_id, message_text, interval_minutes, next_run_at) SELECT $1, 'tip', 60, now() + interval '1 day' FROM generate_series(1, $2)");
        db.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = waId });
        db.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = ScheduleInput.MaxPerContact - 1 });
        await db.ExecuteNonQueryAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/admin/schedules", new { wa_id = waId, message_text = "x", interval_minutes = 60 })).StatusCode);
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules", new { wa_id = waId, message_text = "x", interval_minutes = 60 }), "wa_id");
    }

    [Fact]
    public async Task Pages_Refused_WhenLimitIsPastTheMaximum()
    {
        await ProblemAssert.FieldErrorAsync(await fx.Admin().GetAsync($"/admin/contacts?limit={Paging.MaxLimit + 1}"), "limit");
        await ProblemAssert.FieldErrorAsync(await fx.Admin().GetAsync("/admin/dead-jobs?limit=501"), "limit");
    }

    [Fact]
    public async Task OpenApi_StatesEveryBodyLimit_AsEnforced()
    {
        var doc = JsonNode.Parse(await fx.Admin().GetStringAsync("/admin/openapi.json"))!;
        foreach (var type in new[] { typeof(RuleInput), typeof(AgentInput), typeof(ScheduleInput), typeof(ContactInput) })
        {
            var properties = doc["components"]!["schemas"]![type.Name]!["properties"]!;
            foreach (var (name, _, limit) in LimitAttribute.Of(type))
            {
                var schema = properties[name]!;
                if (limit.MaxLength != LimitAttribute.None) Assert.Equal(limit.MaxLength, schema["maxLength"]!.GetValue<int>());
                if (limit.MaxItems != LimitAttribute.None) Assert.Equal(limit.MaxItems, schema["maxItems"]!.GetValue<int>());
                if (limit.ItemMaxLength != LimitAttribute.None) Assert.Equal(limit.ItemMaxLength, schema["items"]!["maxLength"]!.GetValue<int>());
                if (limit.HasRange) Assert.Equal((limit.Minimum, limit.Maximum), (schema["minimum"]!.GetValue<long>(), schema["maximum"]!.GetValue<long>()));
            }
        }
        var limitParameter = doc["paths"]!["/contacts"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "limit")!;
        Assert.Equal((1, Paging.MaxLimit), (limitParameter["schema"]!["minimum"]!.GetValue<int>(), limitParameter["schema"]!["maximum"]!.GetValue<int>()));
        Assert.Contains("keywords", LimitAttribute.Of(typeof(RuleInput)).Select(l => l.Name));
    }
}
