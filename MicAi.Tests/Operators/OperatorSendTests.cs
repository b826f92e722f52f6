using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Admin;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Operators;

/// <summary>POST /admin/contacts/{wa_id}/messages: the ledger, the window, the kill switch, Idempotency-Key.</summary>
public sealed class OperatorSendTests
{
    [Fact]
    public async Task OperatorSend_IsSentOnce_AndTheRepeatGetsTheFirstResult_WhenTheRequestIsRepeated()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");

        var first = await h.SendAsync(from, new { text = "Hello from Marta" }, "key-1");
        await h.DrainAsync();
        var again = await h.SendAsync(from, new { text = "Hello from Marta" }, "key-1");
        await h.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var row1 = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        var row2 = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal($"operator:{from}:key-1", row1["idempotency_key"]!.GetValue<string>());
        Assert.Equal("pending", row1["status"]!.GetValue<string>());
        Assert.Equal(row1["idempotency_key"]!.GetValue<string>(), row2["idempotency_key"]!.GetValue<string>());
        Assert.Equal("sent", row2["status"]!.GetValue<string>()); // the first request's row, as it is now
        Assert.Equal("operator", row2["author"]!.GetValue<string>());
        Assert.Single(h.TextsTo(from), "Hello from Marta");
    }

    [Fact]
    public async Task OperatorSend_SameKeyWithAnotherBody_Is422_AndSendsNothing()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        await h.SendAsync(from, new { text = "one" }, "k");
        await h.DrainAsync();

        var reused = await h.SendAsync(from, new { text = "two" }, "k");
        await h.DrainAsync();

        await ProblemAssert.StatusAsync(reused, 422);
        Assert.DoesNotContain("two", h.TextsTo(from));
    }

    [Fact]
    public async Task OperatorSend_FreeTextOutsideTheWindow_Is409SuggestingATemplate_AndATemplateGoesOut()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        h.Time.Advance(TimeSpan.FromHours(25));

        var refused = await h.SendAsync(from, new { text = "Are you still there?" }, "late-1");
        await ProblemAssert.StatusAsync(refused, 409);
        var detail = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        Assert.Contains("24-hour customer-service window", detail);
        Assert.Contains("template", detail);
        Assert.Equal(0L, await h.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE idempotency_key = $1", $"operator:{from}:late-1"));

        var template = await h.SendAsync(from, new
        {
            template = new
            {
                name = "order_update", language = "pt_PT", body_params = new[] { "Ana", "#5521" }, header_params = new[] { "Order" },
                button_params = new object[] { new { sub_type = "url", index = 0, value = "5521" }, new { sub_type = "quick_reply", index = 1, value = "STOP_UPDATES" } },
            },
        }, "late-2");
        await h.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, template.StatusCode);
        var sent = Assert.Single(h.Graph.Messages, m => m.To == from && m.Type == "template");
        var components = sent.Body["template"]!["components"]!.AsArray();
        Assert.Equal("order_update", sent.Body["template"]!["name"]!.GetValue<string>());
        Assert.Equal("pt_PT", sent.Body["template"]!["language"]!["code"]!.GetValue<string>());
        Assert.Equal(["header", "body", "button", "button"], components.Select(c => c!["type"]!.GetValue<string>()));
        Assert.Equal("Order", components[0]!["parameters"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(["Ana", "#5521"], components[1]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        Assert.Equal("5521", components[2]!["parameters"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("0", components[2]!["index"]!.GetValue<string>());
        Assert.Equal("STOP_UPDATES", components[3]!["parameters"]![0]!["payload"]!.GetValue<string>());
    }

    [Fact]
    public async Task OperatorSend_WhilePaused_Is409WithThePauseReason_AndStoresNothing()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        Assert.Equal(HttpStatusCode.OK, (await h.Admin().PostAsync("/admin/outbound/pause", null)).StatusCode);

        var refused = await h.SendAsync(from, new { text = "hello?" }, "paused-1");

        await ProblemAssert.StatusAsync(refused, 409);
        Assert.Contains("paused by an operator", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(0L, await h.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE idempotency_key = $1", $"operator:{from}:paused-1"));
    }

    [Fact]
    public async Task OperatorSend_RefusesUnknownContact404_MissingKey400_AndBadTemplateShape400WithFieldErrors()
    {
        await using var h = await PlatformHarness.StartAsync();
        await ProblemAssert.StatusAsync(await h.SendAsync("3519000001", new { text = "hi" }, "k"), 404);
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");

        await ProblemAssert.FieldErrorAsync(await h.SendAsync(from, new { text = "hi" }), "Idempotency-Key");
        await ProblemAssert.FieldErrorAsync(await h.SendAsync(from, new { text = "hi", template = new { name = "x" } }, "k"), "text");
        var bad = await h.SendAsync(from, new { template = new { name = "Bad Name", body_params = new[] { "" }, button_params = new[] { new { sub_type = "call", index = 12 } } } }, "k");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains("template.name", errors.Select(e => e.Key));
        Assert.Contains("template.body_params[0]", errors.Select(e => e.Key));
        Assert.Contains("template.button_params[0].sub_type", errors.Select(e => e.Key));
        Assert.Contains("template.button_params[0].index", errors.Select(e => e.Key));
        Assert.Contains("template.button_params[0].value", errors.Select(e => e.Key));
        Assert.Equal(0L, await h.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE author = 'operator'"));
    }
}
