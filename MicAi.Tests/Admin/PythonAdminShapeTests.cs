using System.Net;
using System.Text.Json;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

/// <summary>
/// The Python service's admin requests keep working next to MicAi's: a rule posted with its client id is upserted and
/// answered {"status": "ok", "rule_id": id}; string agent ids (default-agent) name agents; call_weather is the weather tool.
/// </summary>
public sealed class PythonAdminShapeTests(AdminApiFixture fx) : IClassFixture<AdminApiFixture>
{
    private static string NewId(string stem) => $"{stem}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<(HttpStatusCode Status, JsonElement Json)> PostRuleAsync(string body)
    {
        var response = await fx.Api.CreateAdminClient().PostAsync("/admin/rules", AdminApiFixture.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task CreateRule_WithAClientId_AnswersStatusOkAndTheRuleId_AndASecondPostReplacesThatRule()
    {
        var id = NewId("greet");

        var (first, firstJson) = await PostRuleAsync($$"""{"id":"{{id}}","agent_id":"default-agent","rule_type":"keyword","keywords":["hello","hi"],"action":"reply_text","reply_text":"Hello!","priority":10,"enabled":true}""");
        var (second, secondJson) = await PostRuleAsync($$"""{"id":"{{id}}","agent_id":"default-agent","rule_type":"keyword","keywords":["hey"],"action":"reply_text","reply_text":"Hey!","priority":5,"enabled":false}""");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first, second));
        Assert.Equal($$"""{"status":"ok","rule_id":"{{id}}"}""", firstJson.GetRawText());
        Assert.Equal(firstJson.GetRawText(), secondJson.GetRawText());
        Assert.Equal("1|{hey}|Hey!|5|false", await fx.Db.ScalarAsync<string>(
            "SELECT string_agg(agent_id || '|' || keywords::text || '|' || reply_text || '|' || priority || '|' || enabled, ',') FROM agent_rules WHERE external_id = $1", id));
    }

    [Fact]
    public async Task CreateRule_WithoutAClientId_AnswersTheRule_WhenTheAgentIsNamedDefaultAgent()
    {
        var (status, json) = await PostRuleAsync("""{"agent_id":"default-agent","keywords":["menu"],"reply_text":"Our menu"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, json.GetProperty("agent_id").GetInt64());
        Assert.True(json.GetProperty("id").GetInt64() > 0);
    }

    [Fact]
    public async Task CreateRule_MakesOneAgent_ForANewPythonAgentId_AndReusesIt()
    {
        var agent = NewId("sales-agent");

        var (a, _) = await PostRuleAsync($$"""{"id":"{{NewId("prices")}}","agent_id":"{{agent}}","keywords":"price","reply_text":"10"}""");
        var (b, _) = await PostRuleAsync($$"""{"id":"{{NewId("order")}}","agent_id":"{{agent}}","rule_type":"prefix","prefix":"order","reply_text":"Thanks"}""");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (a, b));
        Assert.Equal($"{agent}|2", await fx.Db.ScalarAsync<string>(
            "SELECT a.name || '|' || count(r.id) FROM agents a JOIN agent_rules r ON r.agent_id = a.id WHERE a.external_id = $1 GROUP BY a.name", agent));
    }

    [Fact]
    public async Task CreateRule_StoresCallWeather_AsTheWeatherTool()
    {
        var id = NewId("weather-kw");

        var (status, _) = await PostRuleAsync($$"""{"id":"{{id}}","agent_id":"default-agent","keywords":["weather"],"action":"call_weather","reply_text":""}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("tool|weather", await fx.Db.ScalarAsync<string>("SELECT action || '|' || tool FROM agent_rules WHERE external_id = $1", id));
    }

    [Theory]
    [InlineData("""{"id":"x","agent_id":"sales team!","keywords":["a"],"reply_text":"b"}""", "agent_id")]
    [InlineData("""{"id":"x","agent_id":true,"keywords":["a"],"reply_text":"b"}""", "agent_id")]
    [InlineData("""{"id":"  ","keywords":["a"],"reply_text":"b"}""", "id")]
    [InlineData("""{"id":"x","rule_type":"keyword","keywords":[],"reply_text":"b"}""", "keywords")]
    [InlineData("""{"id":"x","keywords":["a"],"action":"call_taxi"}""", "action")]
    public async Task CreateRule_Returns400WithTheFieldError_ForABadPythonShapedBody(string body, string field)
    {
        var (status, json) = await PostRuleAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(json.GetProperty("errors").TryGetProperty(field, out _), json.GetRawText());
        Assert.Equal(0L, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM agent_rules WHERE external_id = 'x'"));
    }

    [Fact]
    public async Task Bind_AcceptsAPythonAgentId()
    {
        var waId = "1555" + Random.Shared.NextInt64(1_000_000, 9_999_999);

        var response = await fx.Api.CreateAdminClient().PostAsync($"/admin/bind/{waId}/default-agent", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1L, await fx.Db.ScalarAsync<long>("SELECT agent_id FROM contacts WHERE wa_id = $1", waId));
    }
}
