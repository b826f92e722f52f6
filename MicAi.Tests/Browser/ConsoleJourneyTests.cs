using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MicAi.Tests.Browser;

/// <summary>An operator's journeys through the console in Chromium, against the published Host as bin/dev runs it.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ConsoleJourneyTests(BrowserFixture browser, SimulatorHostFixture micai) : IClassFixture<SimulatorHostFixture>
{
    private static readonly string[] Pages = ["Dashboard", "Conversations", "Attention", "Agents and rules", "Schedules", "Dead jobs", "Outbound ledger"];

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(micai.BaseUrl + "/console");
        await page.GetByLabel("Admin key").FillAsync(MicAiApiFactory.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
    }

    /// <summary>A new simulated customer writes through the simulator's API (signed webhook to /webhook, as the page does); the message's wamid.</summary>
    private async Task<string> CustomerWritesAsync(string text) => await WritesAsync((await NewCustomerAsync()).Id, text);

    /// <summary>A new simulated customer (the simulator's id for them, and their WhatsApp id).</summary>
    private async Task<(string Id, string WaId)> NewCustomerAsync(string? phone = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(micai.BaseUrl) };
        phone ??= NewPhone();
        var customer = await http.PostAsJsonAsync("/simulator/api/customers", new { name = "Console", phone });
        customer.EnsureSuccessStatusCode();
        return ((await customer.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>(), phone);
    }

    /// <summary>The customer sends a text through the simulator (signed webhook to /webhook); its wamid.</summary>
    private async Task<string> WritesAsync(string customerId, string text)
    {
        using var http = new HttpClient { BaseAddress = new Uri(micai.BaseUrl) };
        var message = await http.PostAsJsonAsync($"/simulator/api/customers/{customerId}/messages", new { text });
        message.EnsureSuccessStatusCode();
        return (await message.Content.ReadFromJsonAsync<JsonObject>())!["wamid"]!.GetValue<string>();
    }

    private static string NewPhone() => "1555" + Random.Shared.Next(1_000_000, 9_999_999);

    private static ILocator Figure(IPage page, string name) => page.Locator($"[data-figure={name}]");

    [Fact]
    public Task SignIn_WithAWrongKey_StaysOnTheForm_AndTheRightKeyByKeyboardOpensTheDashboard_KeepingNoKeyInTheBrowser() =>
        browser.RunAsync(nameof(SignIn_WithAWrongKey_StaysOnTheForm_AndTheRightKeyByKeyboardOpensTheDashboard_KeepingNoKeyInTheBrowser), async page =>
        {
            await page.GotoAsync(micai.BaseUrl + "/console");
            var key = page.GetByLabel("Admin key");
            await Expect(key).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync("not-the-key");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That key is not right.");
            await Expect(key).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Navigation)).ToBeHiddenAsync();

            await key.FillAsync(MicAiApiFactory.AdminKey);
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeFocusedAsync();
            var stored = await page.EvaluateAsync<string>("document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.body.innerHTML");
            Assert.DoesNotContain(MicAiApiFactory.AdminKey, stored);
            Assert.Equal("", await page.EvaluateAsync<string>("document.cookie")); // HttpOnly: no script reads the session

            await page.ReloadAsync(); // the session outlives the page
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Expect(key).ToBeVisibleAsync();
            await page.ReloadAsync();
            await Expect(key).ToBeVisibleAsync();
        }, expectedFailures: [new(401, "/console/api/session")]); // the wrong key's answer

    [Fact]
    public Task DashboardFigures_Move_AfterASimulatedMessage_WithoutAReload() =>
        browser.RunAsync(nameof(DashboardFigures_Move_AfterASimulatedMessage_WithoutAReload), async page =>
        {
            await SignInAsync(page);
            await Expect(page.GetByText("No worker is alive")).ToBeHiddenAsync(); // role all: a worker runs and beats
            var sends = await Figure(page, "sends-last-hour").TextContentAsync();
            var inbound = await Figure(page, "inbound").TextContentAsync();
            var navigations = 0;
            page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

            await CustomerWritesAsync("michael: are the figures live?");

            await Expect(Figure(page, "inbound")).Not.ToHaveTextAsync(inbound!);
            await Expect(Figure(page, "sends-last-hour")).Not.ToHaveTextAsync(sends!);
            Assert.Equal(0, navigations);
        });

    [Fact]
    public Task PauseAndResume_FromTheDashboard_AskForConfirmation_AndSwitchOutboundForEveryone() =>
        browser.RunAsync(nameof(PauseAndResume_FromTheDashboard_AskForConfirmation_AndSwitchOutboundForEveryone), async page =>
        {
            await SignInAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Pause outbound" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            Assert.Equal("false", await micai.Database.ScalarAsync<string>("SELECT coalesce((SELECT value FROM runtime_flags WHERE key = 'outbound_paused'), 'false')"));

            await page.GetByRole(AriaRole.Button, new() { Name = "Pause outbound" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: pause outbound" }).ClickAsync();
            await Expect(Figure(page, "outbound-state")).ToHaveTextAsync("paused (paused by an operator)");
            await Expect(page.GetByText("Outbound sending is off")).ToBeVisibleAsync();
            Assert.Equal("true", await micai.Database.ScalarAsync<string>("SELECT value FROM runtime_flags WHERE key = 'outbound_paused'"));

            await page.GetByRole(AriaRole.Button, new() { Name = "Resume outbound" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: resume outbound" }).ClickAsync();
            await Expect(Figure(page, "outbound-state")).ToHaveTextAsync("on");
            Assert.Equal("false", await micai.Database.ScalarAsync<string>("SELECT value FROM runtime_flags WHERE key = 'outbound_paused'"));
        });

    [Fact]
    public Task ReplayDeadJob_FromTheDeadJobsPage_RequeuesItOnce() =>
        browser.RunAsync(nameof(ReplayDeadJob_FromTheDeadJobsPage_RequeuesItOnce), async page =>
        {
            // A message that was answered, and a dead copy of its job as an earlier failed attempt would have left.
            var wamid = await CustomerWritesAsync("michael: replay me");
            await WaitForAsync(async () => await micai.Database.ScalarAsync<long>(
                "SELECT count(*) FROM outbound_messages WHERE idempotency_key = $1 AND status IN ('sent', 'delivered', 'read')", "reply:" + wamid) == 1);
            var job = Job.New(JobTypes.Inbound, wamid, DateTimeOffset.UtcNow);
            var id = await micai.Database.ScalarAsync<long>(
                "INSERT INTO dead_jobs (job_id, job_type, payload, attempts, last_error) VALUES ($1, $2, $3::jsonb, 5, 'timeout') RETURNING id",
                job.Id, job.Type, job.Serialize());

            await SignInAsync(page);
            await page.GetByRole(AriaRole.Link, new() { Name = "Dead jobs" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = $"Replay dead job {id}", Exact = true }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Replayed" })).ToHaveTextAsync("Replayed 1 of 1.");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Replay dead job {id}", Exact = true })).ToHaveCountAsync(0);
            Assert.True(await micai.Database.ScalarAsync<bool>("SELECT replayed_at IS NOT NULL FROM dead_jobs WHERE id = $1", id));
            Assert.Equal(1L, await micai.Database.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE idempotency_key LIKE $1", "reply:" + wamid + "%"));
        });

    [Fact]
    public Task TryAMessage_OnTheAgentsPage_ShowsWhoWouldAnswer_AndSendsNothing() =>
        browser.RunAsync(nameof(TryAMessage_OnTheAgentsPage_ShowsWhoWouldAnswer_AndSendsNothing), async page =>
        {
            var ledger = await micai.Database.ScalarAsync<long>("SELECT count(*) FROM outbound_messages");
            await SignInAsync(page);
            await page.GetByRole(AriaRole.Link, new() { Name = "Agents and rules" }).ClickAsync();

            await page.GetByLabel("Message to try").FillAsync("michael: something nobody planned for");
            await page.GetByRole(AriaRole.Button, new() { Name = "Try", Exact = true }).ClickAsync();

            await Expect(page.Locator("[data-try=responder]")).ToHaveTextAsync("fallback");
            await Expect(page.Locator("[data-try=reply]")).ToContainTextAsync("I heard: something nobody planned for."); // the default agent's fallback (migration 0020)
            Assert.Equal(ledger, await micai.Database.ScalarAsync<long>("SELECT count(*) FROM outbound_messages"));
        });

    [Fact]
    public Task EveryPage_LoadsUnderTheStrictPolicy_WithoutScriptErrors_AtDeskWidth() =>
        browser.RunAsync(nameof(EveryPage_LoadsUnderTheStrictPolicy_WithoutScriptErrors_AtDeskWidth), VisitEveryPageAsync);

    [Fact]
    public Task EveryPage_FitsAPhoneWidthScreen_WithoutSidewaysScrolling() =>
        browser.RunAsync(nameof(EveryPage_FitsAPhoneWidthScreen_WithoutSidewaysScrolling), VisitEveryPageAsync, new ViewportSize { Width = 390, Height = 844 });

    private async Task VisitEveryPageAsync(IPage page)
    {
        await SignInAsync(page);
        Assert.Equal(0, await page.Locator("script:not([src]), style, [style]").CountAsync());
        foreach (var name in Pages)
        {
            await page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true, Level = 2 })).ToBeFocusedAsync();
            await Expect(page.Locator("#view-error")).ToBeEmptyAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToHaveAttributeAsync("aria-current", "");
            var width = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(width[0] <= width[1], $"{name} scrolls sideways: {width[0]} > {width[1]}");
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var until = DateTime.UtcNow.AddSeconds(60); !await condition(); await Task.Delay(200))
            if (DateTime.UtcNow > until) throw new TimeoutException("the condition did not hold within 60 s");
    }
}
