using System.Net;
using System.Text;
using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.WhatsApp;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Tests.Http;

public sealed class WebhookReceiveTests(WebhookApiFixture fx) : IClassFixture<WebhookApiFixture>
{
    private NpgsqlDataSource Db => fx.Api.Get<NpgsqlDataSource>();

    private async Task<long> StreamLengthAsync() =>
        await fx.Api.Get<IConnectionMultiplexer>().GetDatabase().StreamLengthAsync(fx.Api.Get<RedisKeys>().Jobs);

    [Fact]
    public async Task Ingest_Returns401AndStoresNothing_WhenSignatureIsWrong()
    {
        var wamid = Webhooks.NewWamid();
        var response = await fx.Api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Text("15550002222", wamid, "michael: hi"), secret: "forged"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE wamid = $1", wamid));
    }

    [Fact]
    public async Task Ingest_Returns401_WhenSignatureIsMissing()
    {
        var response = await fx.Api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Text("15550002222", Webhooks.NewWamid(), "hi"), secret: null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Ingest_Returns401_WhenOneByteOfASignedFixtureChanges()
    {
        var bytes = MetaFixtures.Bytes("webhooks/text_simple.json").ToArray();
        bytes[^5] ^= 1;
        var request = Webhooks.Post(bytes, secret: null);
        request.Headers.Add("X-Hub-Signature-256", FixtureFacts.Signature("webhooks/text_simple.json"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fx.Api.CreateClient().SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Ingest_Returns413_WhenBodyExceedsLimit()
    {
        var body = new byte[2 * 1024 * 1024];
        Array.Fill(body, (byte)' ');
        var response = await fx.Api.CreateClient().SendAsync(Webhooks.Post(body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"x\":")]
    [InlineData("[]")]
    [InlineData("{\"object\":\"page\",\"entry\":[]}")]
    [InlineData("not json at all")]
    public async Task Ingest_Returns400_WhenBodyIsNotAWhatsAppEnvelope(string body)
    {
        var response = await fx.Api.CreateClient().SendAsync(Webhooks.Post(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Ingest_StoresUnknownTypeAsIgnored_AndAnswers200()
    {
        var (response, json) = await PostFixtureAsync("webhooks/unsupported_with_errors.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"accepted\"", json);
        var wamid = FixtureFacts.MessageIds("webhooks/unsupported_with_errors.json").Single();
        Assert.Equal("ignored", await Db.ScalarAsync<string>("SELECT status FROM inbound_messages WHERE wamid = $1", wamid));
    }

    [Fact]
    public async Task Webhook_StoresUnusableMessageAsInvalid_Answers200_CountsIt_AndNeverQueuesIt()
    {
        var from = "1555" + Random.Shared.Next(1000000, 9999999);
        var wamid = Webhooks.NewWamid();
        var body = Encoding.UTF8.GetString(Webhooks.Text(from, wamid, "michael: hello")).Replace(
            "\"timestamp\":\"", "\"timestamp\":\"99999999999999999999999\",\"was\":\"");
        var before = await StreamLengthAsync();

        var response = await fx.Api.CreateClient().SendAsync(Webhooks.Post(Encoding.UTF8.GetBytes(body)));
        var redelivered = await fx.Api.CreateClient().SendAsync(Webhooks.Post(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"accepted","processed":1}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"status":"accepted","processed":0}""", await redelivered.Content.ReadAsStringAsync());
        await using var cmd = Db.CreateCommand("SELECT status, wa_id, error, payload::text AS payload, sent_at FROM inbound_messages WHERE wamid = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = wamid });
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(("invalid", from), (row.GetString(0), row.GetString(1)));
        Assert.Contains("timestamp", row.GetString(2));
        Assert.Contains("\"changes\"", row.GetString(3)); // the raw entry
        Assert.True(row.IsDBNull(4));
        Assert.Equal(before, await StreamLengthAsync()); // never answered
        var stats = System.Text.Json.JsonDocument.Parse(await fx.Api.CreateAdminClient().GetStringAsync("/admin/stats")).RootElement;
        Assert.True(stats.GetProperty("inbound").GetProperty("invalid").GetInt64() >= 1);
    }

    [Fact]
    public async Task Webhook_StoresOnce_WhenMetaDeliversTwice()
    {
        var before = await StreamLengthAsync();
        var (first, firstJson) = await PostFixtureAsync("webhooks/text_simple.json");
        var (second, secondJson) = await PostFixtureAsync("webhooks/text_simple.json");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("""{"status":"accepted","processed":1}""", firstJson);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("""{"status":"accepted","processed":0}""", secondJson);
        Assert.Equal(before + 1, await StreamLengthAsync());
    }

    [Fact]
    public async Task Webhook_TreatsMetaEscapedCopyAsDuplicate_OfUtf8Original()
    {
        var (_, a) = await PostFixtureAsync("webhooks/text_non_ascii_utf8.json");
        var (_, b) = await PostFixtureAsync("webhooks/text_non_ascii_meta_escaped.json");
        Assert.Equal("""{"status":"accepted","processed":1}""", a);
        Assert.Equal("""{"status":"accepted","processed":0}""", b);
        var wamid = FixtureFacts.MessageIds("webhooks/text_non_ascii_utf8.json").Single();
        Assert.Equal(FixtureFacts.ExpectedText("webhooks/text_non_ascii_utf8.json"), await Db.ScalarAsync<string>("SELECT text FROM inbound_messages WHERE wamid = $1", wamid));
    }

    [Fact]
    public async Task Webhook_StoresEveryMessage_OfABatchedDelivery()
    {
        var (_, json) = await PostFixtureAsync("webhooks/batched_2_entries_3_messages.json");
        Assert.Equal("""{"status":"accepted","processed":3}""", json);
    }

    [Fact]
    public async Task Webhook_Answers200WithNothingProcessed_ForStatusOnlyAndOtherFields()
    {
        foreach (var file in new[] { "webhooks/status_delivered.json", "webhooks/non_messages_field_template_status.json", "webhooks/value_errors_only.json" })
        {
            var (response, json) = await PostFixtureAsync(file);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"status":"accepted","processed":0}""", json);
        }
    }

    private async Task<(HttpResponseMessage, string)> PostFixtureAsync(string file)
    {
        var request = Webhooks.Post(MetaFixtures.Bytes(file).ToArray(), secret: null);
        request.Headers.Add("X-Hub-Signature-256", FixtureFacts.Signature(file));
        var response = await fx.Api.CreateClient().SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }
}
