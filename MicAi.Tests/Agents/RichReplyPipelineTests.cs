using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Admin;
using MicAi.Tests.Http;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Agents;

/// <summary>Rules answering with buttons, lists and media, and taps coming back: webhook → worker → Graph stub.</summary>
public sealed class RichReplyPipelineTests(WebhookApiFixture fx) : IClassFixture<WebhookApiFixture>
{
    private NpgsqlDataSource Db => fx.Api.Get<NpgsqlDataSource>();

    private async Task<(HttpClient Admin, long AgentId, string From)> BoundAgentAsync(string prefix)
    {
        var admin = fx.Api.CreateAdminClient();
        var agentId = await Db.ScalarAsync<long>("INSERT INTO agents (name, fallback_reply) VALUES ('rich', 'rich fallback') RETURNING id");
        var from = prefix + Random.Shared.Next(1000000, 9999999);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/admin/bind/{from}/{agentId}", null)).StatusCode);
        return (admin, agentId, from);
    }

    private async Task PostAsync(byte[] body) =>
        Assert.Equal(HttpStatusCode.OK, (await fx.Api.CreateClient().SendAsync(Webhooks.Post(body))).StatusCode);

    [Fact]
    public async Task ButtonMenu_IsSent_AndATapIsAnsweredByTheRuleForThatButtonsId()
    {
        var (admin, agentId, from) = await BoundAgentAsync("1570");
        var menu = await admin.PostAsJsonAsync("/admin/rules", new
        {
            agent_id = agentId, keywords = new[] { "menu" }, action = "reply_buttons", reply_text = "Hi {name}, what can I do?",
            buttons = new[] { new { id = "menu-hours", title = "Opening hours" }, new { id = "menu-order", title = "Order" } },
        });
        Assert.Equal(HttpStatusCode.OK, menu.StatusCode);
        Assert.Equal("menu-hours", (await menu.Content.ReadFromJsonAsync<JsonObject>())!["buttons"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/admin/rules",
            new { agent_id = agentId, keywords = new[] { "menu-hours" }, reply_text = "We open 9 to 5." })).StatusCode);

        await PostAsync(Webhooks.Text(from, Webhooks.NewWamid(), "michael: menu"));
        await fx.DrainAsync();
        var sent = Assert.Single(fx.Graph.Messages, m => m.To == from);
        Assert.Equal(("interactive", "button", "Hi Ana Souza, what can I do?", "Opening hours"),
            (sent.Type, sent.Body["interactive"]!["type"]!.GetValue<string>(), sent.Body["interactive"]!["body"]!["text"]!.GetValue<string>(),
             sent.Body["interactive"]!["action"]!["buttons"]![0]!["reply"]!["title"]!.GetValue<string>()));

        // The tap carries no invoke prefix and a title no rule names: its id picks the rule.
        await PostAsync(Webhooks.Tap(from, Webhooks.NewWamid(), "button_reply", "menu-hours", "Opening hours"));
        await fx.DrainAsync();
        Assert.Equal("We open 9 to 5.", fx.Graph.Messages.Where(m => m.To == from).Last().TextBody);
    }

    [Fact]
    public async Task ListRowTap_IsMatchedByItsTitle_WhenNoRuleNamesItsId()
    {
        var (admin, agentId, from) = await BoundAgentAsync("1571");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/admin/rules",
            new { agent_id = agentId, keywords = new[] { "large" }, reply_text = "Large it is." })).StatusCode);

        await PostAsync(Webhooks.Tap(from, Webhooks.NewWamid(), "list_reply", "size-3", "Large"));
        await fx.DrainAsync();

        Assert.Equal("Large it is.", Assert.Single(fx.Graph.Messages, m => m.To == from).TextBody);
    }

    [Fact]
    public async Task MediaRule_SendsTheDocumentByLink_AndTheLedgerKeepsItsKindAndCaption()
    {
        var (admin, agentId, from) = await BoundAgentAsync("1572");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/admin/rules", new
        {
            agent_id = agentId, keywords = new[] { "brochure" }, action = "reply_media",
            media = new { type = "document", link = "https://example.com/brochure.pdf", caption = "Our brochure", filename = "brochure.pdf" },
        })).StatusCode);

        var wamid = Webhooks.NewWamid();
        await PostAsync(Webhooks.Text(from, wamid, "michael: brochure please"));
        await fx.DrainAsync();

        var sent = Assert.Single(fx.Graph.Messages, m => m.To == from);
        Assert.Equal(("document", "https://example.com/brochure.pdf"), (sent.Type, sent.Body["document"]!["link"]!.GetValue<string>()));
        Assert.Equal("document|Our brochure|sent", await Db.ScalarAsync<string>(
            "SELECT kind || '|' || body || '|' || status FROM outbound_messages WHERE idempotency_key = $1", $"reply:{wamid}"));
    }

    [Fact]
    public async Task RichRules_OverMetasLimits_AreRefusedWithFieldErrors()
    {
        var (admin, agentId, _) = await BoundAgentAsync("1573");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules", new
        {
            agent_id = agentId, keywords = "menu", action = "reply_buttons", reply_text = "b",
            buttons = new[] { new { id = "a", title = "A title over twenty chars" } },
        }), "buttons[0].title");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules", new
        {
            agent_id = agentId, keywords = "menu", action = "reply_list", reply_text = "b", button = "Open",
            sections = new[] { new { title = "S", rows = Enumerable.Range(0, 11).Select(i => new { id = $"r{i}", title = $"Row {i}" }).ToArray() } },
        }), "sections");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/rules", new
        {
            agent_id = agentId, keywords = "menu", action = "reply_media", media = new { type = "image" },
        }), "media");
    }
}
