using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MicAi.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MicAi.Tests.Browser;

/// <summary>The conversation pages: the thread view, its reply box and handover toggle, and the attention list.</summary>
public sealed partial class ConsoleJourneyTests
{
    private static ILocator Thread(IPage page, string direction, string text) => page.Locator($"li.msg.{direction}").Filter(new() { HasText = text });

    [Fact]
    public Task CustomerMessage_AppearsInTheThreadView_AndTheOperatorsReplyFromIt_ShowsInTheSimulatorsChat() =>
        browser.RunAsync(nameof(CustomerMessage_AppearsInTheThreadView_AndTheOperatorsReplyFromIt_ShowsInTheSimulatorsChat), async page =>
        {
            // The customer, in the simulator's chat (a second tab), writes and gets the bot's reply.
            var phone = NewPhone();
            var simulator = await page.Context.NewPageAsync();
            await simulator.GotoAsync(micai.BaseUrl + "/simulator");
            await Expect(simulator.GetByRole(AriaRole.Status)).ToHaveTextAsync("live");
            await simulator.GetByLabel("Phone number", new() { Exact = true }).FillAsync(phone);
            await simulator.GetByLabel("Name", new() { Exact = true }).FillAsync("Dora");
            await simulator.GetByRole(AriaRole.Button, new() { Name = "Add customer" }).ClickAsync();
            var box = simulator.GetByLabel("Message", new() { Exact = true });
            await box.FillAsync("michael: where is my order?");
            await box.PressAsync("Enter");
            await Expect(simulator.Locator(".bubble.from-bot").Last).ToContainTextAsync("I heard: where is my order?");

            // The operator finds the conversation, sees the message and the bot's reply, and answers inside the window.
            await SignInAsync(page);
            await page.GetByRole(AriaRole.Link, new() { Name = "Conversations", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Dora" }).First.ClickAsync();
            await Expect(Thread(page, "inbound", "michael: where is my order?")).ToBeVisibleAsync();
            await Expect(Thread(page, "outbound", "I heard: where is my order?")).ToHaveAttributeAsync("data-author", "fallback");
            await page.GetByLabel("Reply", new() { Exact = true }).FillAsync("Your order ships today.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();

            var sent = Thread(page, "outbound", "Your order ships today.");
            await Expect(sent).ToHaveAttributeAsync("data-author", "operator");
            await Expect(sent).ToHaveAttributeAsync("data-status", new Regex("^(sent|delivered|read)$")); // the page follows the send without a reload
            await Expect(sent.Locator(".ticks")).ToBeVisibleAsync();
            await Expect(simulator.Locator(".bubble.from-bot").Last).ToContainTextAsync("Your order ships today.");
            Assert.Equal(1L, await micai.Database.ScalarAsync<long>(
                "SELECT count(*) FROM outbound_messages WHERE wa_id = $1 AND idempotency_key LIKE 'operator:%'", phone));
        });

    [Fact]
    public Task HandoverToggle_InTheThreadView_SilencesTheBot_UntilHandedBack() =>
        browser.RunAsync(nameof(HandoverToggle_InTheThreadView_SilencesTheBot_UntilHandedBack), async page =>
        {
            var customer = await NewCustomerAsync();
            await WritesAsync(customer.Id, "michael: hello");
            await SignInAsync(page);
            await page.GotoAsync($"{micai.BaseUrl}/console#conversations/{customer.WaId}");
            await Expect(Thread(page, "inbound", "michael: hello")).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Take over from the bot" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Hand back to the bot" })).ToHaveAttributeAsync("aria-pressed", "true");
            Assert.Equal("operator", await micai.Database.ScalarAsync<string>("SELECT reason::text FROM handovers WHERE wa_id = $1", customer.WaId));

            var wamid = await WritesAsync(customer.Id, "michael: is anyone there?");
            await Expect(Thread(page, "inbound", "is anyone there?")).ToHaveAttributeAsync("data-status", "ignored");
            await Expect(Thread(page, "inbound", "is anyone there?")).ToContainTextAsync("handover active: a person is answering");
            Assert.Equal(0L, await micai.Database.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE idempotency_key LIKE $1", "reply:" + wamid + "%"));

            await page.GetByRole(AriaRole.Button, new() { Name = "Hand back to the bot" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Take over from the bot" })).ToHaveAttributeAsync("aria-pressed", "false");
            Assert.Equal(0L, await micai.Database.ScalarAsync<long>("SELECT count(*) FROM handovers WHERE wa_id = $1", customer.WaId));
        });

    [Fact]
    public Task AttentionPage_ListsAHandover_TheCustomerAskedFor_WithAWayToTheirThread() =>
        browser.RunAsync(nameof(AttentionPage_ListsAHandover_TheCustomerAskedFor_WithAWayToTheirThread), async page =>
        {
            var customer = await NewCustomerAsync();
            await WritesAsync(customer.Id, "human");
            await WaitForAsync(async () => await micai.Database.ScalarAsync<long>(
                "SELECT count(*) FROM handovers WHERE wa_id = $1 AND reason::text = 'customer'", customer.WaId) == 1);

            await SignInAsync(page);
            await page.GetByRole(AriaRole.Link, new() { Name = "Attention", Exact = true }).ClickAsync();
            var waiting = page.Locator($"[data-waiting='{customer.WaId}']");
            await Expect(waiting).ToBeVisibleAsync();
            await waiting.GetByRole(AriaRole.Link, new() { Name = customer.WaId }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Hand back to the bot" })).ToHaveAttributeAsync("aria-pressed", "true");
        });

    [Fact]
    public Task ReplyBox_RetriedAfterALostAnswer_ReusesTheIdempotencyKey_SoTheMessageIsStoredOnce() =>
        ReplyRetryJourneyAsync(NewPhone());

    private Task ReplyRetryJourneyAsync(string phone) =>
        browser.RunAsync(nameof(ReplyBox_RetriedAfterALostAnswer_ReusesTheIdempotencyKey_SoTheMessageIsStoredOnce), async page =>
        {
            var customer = await NewCustomerAsync(phone);
            await WritesAsync(customer.Id, "michael: hi");
            // The first send reaches MicAi but its answer is lost on the way back (a proxy's 503); later sends pass.
            var keys = new List<string>();
            await page.RouteAsync($"**/admin/contacts/{phone}/messages", async route =>
            {
                if (route.Request.Method != "POST") { await route.ContinueAsync(); return; }
                keys.Add((await route.Request.AllHeadersAsync())["idempotency-key"]);
                if (keys.Count > 1) { await route.ContinueAsync(); return; }
                await route.FetchAsync();
                await route.FulfillAsync(new() { Status = 503, ContentType = "application/problem+json", Body = """{"title":"Service Unavailable"}""" });
            });
            await SignInAsync(page);
            await page.GotoAsync($"{micai.BaseUrl}/console#conversations/{phone}");

            var reply = page.GetByLabel("Reply", new() { Exact = true });
            await reply.FillAsync("Sorry for the wait.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
            await Expect(page.Locator("#view-error")).ToContainTextAsync("press Send again");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
            await Expect(Thread(page, "outbound", "Sorry for the wait.")).ToHaveAttributeAsync("data-author", "operator");

            await reply.FillAsync("Anything else?");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
            await Expect(Thread(page, "outbound", "Anything else?")).ToHaveAttributeAsync("data-author", "operator");

            Assert.Equal(3, keys.Count);
            Assert.Equal(keys[0], keys[1]); // the retry of the same message
            Assert.NotEqual(keys[0], keys[2]); // a new message
            Assert.Equal(2L, await micai.Database.ScalarAsync<long>(
                "SELECT count(*) FROM outbound_messages WHERE wa_id = $1 AND idempotency_key LIKE 'operator:%'", phone));
        }, expectedFailures: [new(503, $"/admin/contacts/{phone}/messages")]);

    [Fact]
    public Task RunNow_OnTheSchedulesPage_SendsTheSchedulesMessageAtOnce_AndKeepsItsNextRun() =>
        browser.RunAsync(nameof(RunNow_OnTheSchedulesPage_SendsTheSchedulesMessageAtOnce_AndKeepsItsNextRun), async page =>
        {
            var customer = await NewCustomerAsync();
            await WritesAsync(customer.Id, "michael: remind me of nothing");
            using var http = new HttpClient { BaseAddress = new Uri(micai.BaseUrl) };
            http.DefaultRequestHeaders.Add("x-admin-key", MicAiApiFactory.AdminKey);
            var created = await http.PostAsJsonAsync("/admin/schedules",
                new { wa_id = customer.WaId, message_text = "Your weekly summary", run_at = DateTimeOffset.UtcNow.AddDays(30) });
            created.EnsureSuccessStatusCode();
            var schedule = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
            var id = schedule["id"]!.GetValue<long>();

            await SignInAsync(page);
            await page.GetByRole(AriaRole.Link, new() { Name = "Schedules", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = $"Run schedule {id} now", Exact = true }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "sending now" })).ToHaveTextAsync($"Schedule {id} is sending now.");
            await WaitForAsync(async () => await micai.Database.ScalarAsync<long>(
                "SELECT count(*) FROM outbound_messages WHERE idempotency_key LIKE $1 AND status IN ('sent', 'delivered', 'read')", $"schedule:{id}:run:%") == 1);
            Assert.Equal(schedule["next_run_at"]!.GetValue<DateTimeOffset>().UtcDateTime,
                await micai.Database.ScalarAsync<DateTime>("SELECT next_run_at FROM schedules WHERE id = $1", id));
        });

    [Fact]
    public Task AttentionPage_MarksAnUnknownSendFailed_AfterConfirmation_WithoutSendingItAgain() =>
        browser.RunAsync(nameof(AttentionPage_MarksAnUnknownSendFailed_AfterConfirmation_WithoutSendingItAgain), async page =>
        {
            // A send whose outcome never came back (the worker timed out after Graph took it): left for a person.
            var key = $"reply:wamid.UNKNOWN{Guid.NewGuid():N}";
            await micai.Database.ExecuteAsync("""
                INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, attempts, author, error_text, updated_at)
                VALUES ($1, $2, 'text', 'did this arrive?', 'unknown', 1, 'rule', 'no response', now() - interval '20 minutes')
                """, key, NewPhone());

            await SignInAsync(page);
            await page.GetByRole(AriaRole.Link, new() { Name = "Attention", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = $"Mark {key} failed", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = $"Confirm: mark {key.ToLowerInvariant()} failed", Exact = true }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Marked failed" })).ToHaveTextAsync($"Marked failed {key}.");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Mark {key} failed", Exact = true })).ToHaveCountAsync(0);
            Assert.Equal("failed", await micai.Database.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = $1", key));
            Assert.Equal(0L, await micai.Database.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE idempotency_key = $1", "resend:" + key));
        });
}
