using System.Net;
using System.Text.Json;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

public sealed class AdminRulesTests(AdminApiFixture fx) : IClassFixture<AdminApiFixture>
{
    /// <summary>The body the Python service's admin clients send.</summary>
    private const string PythonRule =
        """{"agent_id":1,"rule_type":"keyword","keywords":["hello","hi"],"action":"reply_text","reply_text":"Hi {name}!","priority":10,"enabled":true}""";

    private async Task<(HttpResponseMessage Response, JsonElement Json)> PostAsync(string body)
    {
        var response = await fx.Api.CreateAdminClient().PostAsync("/admin/rules", AdminApiFixture.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task CreateRule_Returns200WithSnakeCaseRule_ForThePythonServiceBody()
    {
        var (response, json) = await PostAsync(PythonRule);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var id = json.GetProperty("id").GetInt64();
        Assert.True(id > 0);
        Assert.Equal(1, json.GetProperty("agent_id").GetInt64());
        Assert.Equal("keyword", json.GetProperty("rule_type").GetString());
        Assert.Equal(["hello", "hi"], json.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("reply_text", json.GetProperty("action").GetString());
        Assert.Equal("Hi {name}!", json.GetProperty("reply_text").GetString());
        Assert.Equal(10, json.GetProperty("priority").GetInt32());
        Assert.True(json.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task CreateRule_StoresTheRule()
    {
        var (_, json) = await PostAsync(PythonRule);
        var id = json.GetProperty("id").GetInt64();

        Assert.Equal("keyword|10|true|hello,hi|Hi {name}!", await fx.Db.ScalarAsync<string>(
            "SELECT rule_type || '|' || priority || '|' || enabled::text || '|' || array_to_string(keywords, ',') || '|' || reply_text FROM agent_rules WHERE id = $1 AND agent_id = 1",
            id));
    }

    [Fact]
    public async Task CreateRule_AcceptsKeywordsAsACommaSeparatedString()
    {
        var (response, json) = await PostAsync("""{"agent_id":1,"rule_type":"keyword","keywords":" hello, hi ,,hey ","reply_text":"Hi!"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["hello", "hi", "hey"], json.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task CreateRule_DropsBlankAndNullKeywords_AndTrimsTheRest()
    {
        var (response, json) = await PostAsync("""{"keywords":[" hello ",null,"","  ","hi"],"reply_text":"Hi!"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["hello", "hi"], json.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task CreateRule_TreatsNullKeywordsAsNone_ForPrefixRule()
    {
        var (response, json) = await PostAsync("""{"rule_type":"prefix","prefix":"/help","keywords":null,"reply_text":"Help"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(json.GetProperty("keywords").EnumerateArray());
    }

    [Fact]
    public async Task CreateRule_TreatsExplicitNullsAsAbsent()
    {
        var (response, json) = await PostAsync("""{"agent_id":null,"rule_type":null,"action":null,"priority":null,"enabled":null,"keywords":["x"],"reply_text":"y"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, json.GetProperty("agent_id").GetInt64());
        Assert.Equal("keyword", json.GetProperty("rule_type").GetString());
        Assert.Equal("reply_text", json.GetProperty("action").GetString());
        Assert.Equal(100, json.GetProperty("priority").GetInt32());
        Assert.True(json.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task CreateRule_AppliesPythonDefaults_WhenFieldsAreOmitted()
    {
        var (response, json) = await PostAsync("""{"keywords":["help"],"reply_text":"How can I help?"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, json.GetProperty("agent_id").GetInt64());
        Assert.Equal("keyword", json.GetProperty("rule_type").GetString());
        Assert.Equal("reply_text", json.GetProperty("action").GetString());
        Assert.Equal(100, json.GetProperty("priority").GetInt32());
        Assert.True(json.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task CreateRule_AcceptsPrefixAndToolRules()
    {
        var (prefix, prefixJson) = await PostAsync("""{"rule_type":"prefix","prefix":"/price","reply_text":"Prices: {text}"}""");
        var (tool, toolJson) = await PostAsync("""{"rule_type":"keyword","keywords":["time"],"action":"tool","tool":"current_time","enabled":false}""");

        Assert.Equal(HttpStatusCode.OK, prefix.StatusCode);
        Assert.Equal("/price", prefixJson.GetProperty("prefix").GetString());
        Assert.Equal(HttpStatusCode.OK, tool.StatusCode);
        Assert.Equal("current_time", toolJson.GetProperty("tool").GetString());
        Assert.False(toolJson.GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData("""{"rule_type":"regex","keywords":["x"],"reply_text":"y"}""", "rule_type")]
    [InlineData("""{"rule_type":"keyword","keywords":["hello"],"action":"reply_text"}""", "reply_text")]
    [InlineData("""{"rule_type":"keyword","keywords":["hello"],"reply_text":"   "}""", "reply_text")]
    [InlineData("""{"rule_type":"keyword","keywords":[],"reply_text":"y"}""", "keywords")]
    [InlineData("""{"rule_type":"keyword","keywords":" , ","reply_text":"y"}""", "keywords")]
    [InlineData("""{"rule_type":"keyword","keywords":null,"reply_text":"y"}""", "keywords")]
    [InlineData("""{"rule_type":"prefix","reply_text":"y"}""", "prefix")]
    [InlineData("""{"keywords":["x"],"action":"shout","reply_text":"y"}""", "action")]
    [InlineData("""{"keywords":["x"],"action":"tool"}""", "tool")]
    [InlineData("""{"agent_id":424242,"keywords":["x"],"reply_text":"y"}""", "agent_id")]
    public async Task CreateRule_Returns400WithFieldError_WhenInputIsInvalid(string body, string field)
    {
        var before = await fx.Db.ScalarAsync<long>("SELECT count(*) FROM agent_rules");

        var (response, json) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = json.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {json}");
        Assert.NotEmpty(messages.EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(before, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM agent_rules"));
    }

    [Fact]
    public async Task CreateRule_ReportsEveryInvalidField_AtOnce()
    {
        var (response, json) = await PostAsync("""{"rule_type":"regex","action":"shout"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = json.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Contains("rule_type", fields);
        Assert.Contains("action", fields);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"agent_id":{"id":1},"keywords":["x"],"reply_text":"y"}""")]
    [InlineData("""{"priority":1.5,"keywords":["x"],"reply_text":"y"}""")]
    [InlineData("""{"enabled":"sometimes","keywords":["x"],"reply_text":"y"}""")]
    [InlineData("""{"keywords":{"a":1},"reply_text":"y"}""")]
    public async Task CreateRule_Returns400Problem_WhenJsonIsMalformed(string body)
    {
        var (response, json) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, json.GetProperty("status").GetInt32());
    }
}
