using MicAi.Core.WebUi;
using MicAi.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MicAi.Tests.Browser;

/// <summary>A developer's journeys through the simulator in Chromium, against the published Host as bin/dev runs it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SimulatorJourneyTests(BrowserFixture browser, SimulatorHostFixture micai) : IClassFixture<SimulatorHostFixture>
{
    private const string Fallback = "I can help with weather or reminders."; // the default agent's fallback: "I heard: {text}. I can help …"

    private static string NewPhone() => "1555" + Random.Shared.Next(1_000_000, 9_999_999);

    private async Task OpenSimulatorAsync(IPage page)
    {
        var response = await page.GotoAsync(micai.BaseUrl + "/simulator");
        Assert.Equal(200, response!.Status);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("live"); // the event stream is connected
    }

    private static async Task AddCustomerAsync(IPage page, string kind, string handle, string name)
    {
        await page.GetByLabel("Customer type").SelectOptionAsync(kind);
        await page.GetByLabel(kind == "phone" ? "Phone number" : "Username", new() { Exact = true }).FillAsync(handle);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add customer" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true })).ToBeVisibleAsync();
    }

    private static async Task<ILocator> TypeAndPressEnterAsync(IPage page, string text)
    {
        var box = page.GetByLabel("Message", new() { Exact = true });
        await Expect(box).ToBeFocusedAsync(); // opening a chat puts the cursor in the message box
        await box.FillAsync(text);
        await box.PressAsync("Enter");
        await Expect(page.Locator(".bubble.from-customer").Last).ToContainTextAsync(text);
        var reply = page.Locator(".bubble.from-bot").Last;
        await Expect(reply).ToContainTextAsync(Fallback);
        return reply;
    }

    /// <summary>
    /// A column of the ledger row MicAi sent as <paramref name="wamid"/>, once it holds <paramref name="expected"/> (any
    /// value when null). The bubble shows as soon as the stand-in has the send, a moment before the worker writes its
    /// sent mark (and a tick moves as soon as the stand-in posts the status, before the api has stored it), so the row is
    /// read until it catches up, for at most 10 s; then whatever it holds is returned for the assertion to judge.
    /// </summary>
    private async Task<string?> LedgerAsync(string column, string wamid, string? expected = null, string where = "")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var value = await micai.Database.ScalarAsync<string?>(
                $"SELECT {column} FROM outbound_messages WHERE provider_message_id = $1 {where}", wamid);
            if (value is not null && (expected is null || value == expected) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }

    [Fact]
    public Task CustomerMessage_TypedInTheSimulator_GetsTheBotsReplyInTheChat_ThroughWebhookQueueWorkerAndGraph() =>
        browser.RunAsync(nameof(CustomerMessage_TypedInTheSimulator_GetsTheBotsReplyInTheChat_ThroughWebhookQueueWorkerAndGraph), async page =>
        {
            var phone = NewPhone();
            await OpenSimulatorAsync(page);
            await AddCustomerAsync(page, "phone", "+" + phone, "Ana");

            var reply = await TypeAndPressEnterAsync(page, "michael: hello");
            await Expect(page.Locator("#announcer")).ToHaveTextAsync("Ana, MicAi: I heard: hello." + " I can help with weather or reminders. Say \"help\" to see what I can do."); // read out once to screen readers

            // The bubble is the send the worker made: the ledger row of the reply carries the wamid the stand-in gave it.
            var wamid = await reply.GetAttributeAsync("data-wamid");
            Assert.Equal(phone, await LedgerAsync("wa_id", wamid!, where: "AND idempotency_key LIKE 'reply:%'"));
            Assert.Equal(1L, await micai.Database.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE wa_id = $1", phone));
        });

    [Fact]
    public Task UsernameOnlyCustomer_GetsTheBotsReply_AddressedToTheirBusinessScopedUserId() =>
        browser.RunAsync(nameof(UsernameOnlyCustomer_GetsTheBotsReply_AddressedToTheirBusinessScopedUserId), async page =>
        {
            var username = "eli.park" + Random.Shared.Next(1000, 9999);
            await OpenSimulatorAsync(page);
            await AddCustomerAsync(page, "username", "@" + username, "Eli Park");
            await Expect(page.Locator("#chat-subtitle")).ToContainTextAsync("business-scoped user id US.");

            var reply = await TypeAndPressEnterAsync(page, "michael: hi, no phone here");

            var to = await LedgerAsync("wa_id", (await reply.GetAttributeAsync("data-wamid"))!);
            Assert.Matches(@"^US\.[0-9]{20}$", to);
            Assert.Contains(to!, await page.Locator("#chat-subtitle").TextContentAsync());
        });

    [Fact]
    public Task BotReplyTicks_MoveToRead_WhileTheChatIsOpen_AndMicAiRecordsRead() =>
        browser.RunAsync(nameof(BotReplyTicks_MoveToRead_WhileTheChatIsOpen_AndMicAiRecordsRead), async page =>
        {
            await OpenSimulatorAsync(page);
            await AddCustomerAsync(page, "phone", NewPhone(), "Bob");

            var reply = await TypeAndPressEnterAsync(page, "michael: are you there?");

            await Expect(reply).ToHaveAttributeAsync("data-status", "read");
            await Expect(reply.GetByRole(AriaRole.Img, new() { Name = "read", Exact = true })).ToBeVisibleAsync();
            // MicAi marked the customer's message read too (MICAI_MARK_AS_READ): blue ticks on their side.
            await Expect(page.Locator(".bubble.from-customer").Last).ToHaveAttributeAsync("data-status", "read");
            Assert.Equal("read", await LedgerAsync("status", (await reply.GetAttributeAsync("data-wamid"))!, expected: "read"));
        });

    [Fact]
    public Task SimulatorPage_LoadsUnderItsStrictContentSecurityPolicy_WithoutScriptErrors() =>
        browser.RunAsync(nameof(SimulatorPage_LoadsUnderItsStrictContentSecurityPolicy_WithoutScriptErrors), async page =>
        {
            var response = await page.GotoAsync(micai.BaseUrl + "/simulator");

            var headers = await response!.AllHeadersAsync();
            Assert.Equal(BrowserSecurity.ContentSecurityPolicy, headers["content-security-policy"]);
            Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("live"); // the modules ran
            Assert.Equal(0, await page.Locator("script:not([src]), style, [style]").CountAsync());
        });

    [Fact]
    public Task SimulatorPage_IsUsableAtPhoneWidth_WithTheKeyboardAlone() =>
        browser.RunAsync(nameof(SimulatorPage_IsUsableAtPhoneWidth_WithTheKeyboardAlone), async page =>
        {
            await OpenSimulatorAsync(page);
            var width = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(width[0] <= width[1], $"the page scrolls sideways at phone width: {width[0]} > {width[1]}");

            // Keyboard only: focus the phone number box, type, Enter submits the form; Enter in the message box sends.
            await page.GetByLabel("Phone number", new() { Exact = true }).FocusAsync();
            await page.Keyboard.TypeAsync(NewPhone());
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator(".sidebar")).ToBeHiddenAsync(); // one pane at a time: the chat
            await Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync("michael: from my phone");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator(".bubble.from-bot").Last).ToContainTextAsync(Fallback);

            await page.GetByRole(AriaRole.Button, new() { Name = "Back to chats" }).PressAsync("Enter");
            await Expect(page.Locator(".sidebar")).ToBeVisibleAsync();
        }, new ViewportSize { Width = 390, Height = 844 });
}
