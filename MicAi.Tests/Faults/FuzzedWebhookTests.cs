using System.Net;
using System.Text;
using MicAi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MicAi.Tests.Faults;

/// <summary>Correctly signed garbage must never cost a 5xx, the process, or a row.</summary>
[Collection(FaultCollection.Name)]
public sealed class FuzzedWebhookTests(ITestOutputHelper output)
{
    private const int MaxBodyBytes = 1024 * 1024; // MICAI_WEBHOOK_MAX_BODY_BYTES default

    private const string Envelope = "\"object\":\"whatsapp_business_account\"";

    private static readonly string[] WrongValues = ["5", "-1.5e308", "true", "null", "{}", "[]", "\"\"", "[1,{\"a\":[]}]", "\"\\u0000\""];

    /// <summary>One fuzzed body: random bytes, truncated JSON, wrong types, deep nesting, huge strings or bad UTF-8.</summary>
    private static byte[] Fuzz(Random random, int i)
    {
        var valid = Webhooks.Text("15550009999", "wamid.FUZZ" + i, "michael: fuzz");
        string Wrong() => WrongValues[random.Next(WrongValues.Length)];
        switch (i % 6)
        {
            case 0:
                var bytes = new byte[random.Next(0, 4096)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                return valid[..random.Next(0, valid.Length - 1)]; // every strict prefix of an object is unfinished
            case 2:
                // The message id always has a wrong type (so nothing may be stored); other fields sometimes too.
                var json = Encoding.UTF8.GetString(valid).Replace("\"id\":\"wamid.FUZZ" + i + "\"", "\"id\":" + Wrong());
                foreach (var field in new[] { "from", "timestamp", "type", "text", "messages", "changes", "entry", "value", "metadata", "contacts" })
                    if (random.Next(3) == 0) json = ReplaceValue(json, field, Wrong());
                return Encoding.UTF8.GetBytes(json);
            case 3:
                var depth = random.Next(65, 5000);
                var open = random.Next(2) == 0 ? "[" : "{\"a\":";
                var close = open == "[" ? "]" : "}";
                return Encoding.UTF8.GetBytes($"{{{Envelope},\"entry\":{string.Concat(Enumerable.Repeat(open, depth))}1{string.Concat(Enumerable.Repeat(close, depth))}}}");
            case 4:
                var size = random.Next(20) == 0 ? 3 * 1024 * 1024 : random.Next(10_000, 1_000_000);
                var huge = new string((char)('a' + random.Next(26)), size);
                return Encoding.UTF8.GetBytes(random.Next(2) == 0
                    ? $"{{\"object\":\"{huge}\",\"entry\":[]}}"
                    : $"{{{Envelope},\"entry\":[{{\"changes\":[{{\"field\":\"messages\",\"value\":{{\"messages\":[{{\"id\":{Wrong()},\"from\":\"{huge}\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":{{\"body\":\"{huge}\"}}}}]}}}}]}}]}}");
            default:
                var utf8 = Encoding.UTF8.GetBytes($"{{{Envelope},\"entry\":[{{\"changes\":[{{\"field\":\"messages\",\"value\":{{\"messages\":[{{\"id\":\"wamid.X\",\"from\":\"1555\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":{{\"body\":\"@@@@\"}}}}]}}}}]}}]}}");
                var at = Array.IndexOf(utf8, (byte)'@');
                utf8[at] = (byte)random.Next(0x80, 0xC0); // a continuation byte with no lead: never valid UTF-8
                for (var k = 1; k < 4; k++) utf8[at + k] = (byte)random.Next(0x80, 0x100);
                return utf8;
        }
    }

    private static string ReplaceValue(string json, string field, string value)
    {
        var at = json.IndexOf($"\"{field}\":", StringComparison.Ordinal);
        if (at < 0) return json;
        var start = at + field.Length + 3;
        var end = start;
        for (var depth = 0; end < json.Length; end++)
        {
            var c = json[end];
            if (c is '{' or '[') depth++;
            else if (c is '}' or ']') { if (depth == 0) break; depth--; }
            else if (c == ',' && depth == 0) break;
            else if (c == '"') { end++; while (end < json.Length && json[end] != '"') end += json[end] == '\\' ? 2 : 1; }
        }
        return json[..start] + value + json[end..];
    }

    [Fact]
    public async Task ThousandFuzzedSignedBodies_CauseNo5xx_KeepTheProcessAlive_AndStoreOnlyInvalidRows_AnsweringNone()
    {
        await using var rig = await FaultRig.StartAsync(output);
        var api = await rig.StartApiAsync();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var bodies = Enumerable.Range(0, 1000 * FaultRig.Scale).Select(i => Fuzz(random, i)).ToList();

        var statuses = await rig.PostAllAsync(bodies, parallel: 8, closeConnections: true);

        var byStatus = statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        output.WriteLine($"fuzz (seed {seed}): {bodies.Count} bodies, {bodies.Sum(b => (long)b.Length) / 1024} KiB: {string.Join(", ", byStatus)}");
        // Over the body limit the server may answer 413 and close before the upload ends: the client then sees a reset.
        var bad = Enumerable.Range(0, bodies.Count)
            .Where(i => (int)statuses[i] >= 500 || (statuses[i] == 0 && bodies[i].Length <= MaxBodyBytes)).ToList();
        Assert.True(bad.Count == 0, $"seed {seed}: {bad.Count} bodies got 5xx or no answer, first #{bad.FirstOrDefault()} ({statuses[bad.FirstOrDefault()]})\n{rig.Logs()}");
        Assert.False(api.HasExited);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);
        // A message that cannot be used is kept as invalid (issue 14), never as something to answer.
        Assert.Equal(0L, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE status <> 'invalid'"));
        Assert.Equal(0L, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages"));
    }

    [Fact]
    public async Task Webhook_Returns400AndStoresNothing_WhenAStringHoldsUPlus0000()
    {
        await using var api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"));
        var body = Webhooks.Text("15550009998", Webhooks.NewWamid(), "michael: a\u0000b"); // serialized as \u0000, which Postgres text cannot hold

        var response = await api.CreateClient().SendAsync(Webhooks.Post(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0L, await api.Get<Npgsql.NpgsqlDataSource>().ScalarAsync<long>("SELECT count(*) FROM inbound_messages"));
    }
}
