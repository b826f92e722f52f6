using MicAi.Core.WebUi;
using Microsoft.Playwright;

namespace MicAi.Tests.Browser;

/// <summary>
/// The check every journey ends with can fail: a page served with MicAi's Content-Security-Policy that carries an
/// inline script, or whose script throws, is reported. The pages are answered by Playwright itself (a routed
/// origin, no network), so only the guard and the policy are under test.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleGuardTests(BrowserFixture browser)
{
    private const string Origin = "http://micai.test";

    private async Task<(IBrowserContext Context, IPage Page, ConsoleGuard Guard)> ServeAsync(string html, string? script = null)
    {
        var context = await browser.Browser.NewContextAsync();
        await context.RouteAsync(Origin + "/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = route.Request.Url.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/html",
            Headers = new Dictionary<string, string> { ["Content-Security-Policy"] = BrowserSecurity.ContentSecurityPolicy },
            Body = route.Request.Url.EndsWith(".js", StringComparison.Ordinal) ? script ?? "" : html,
        }));
        var page = await context.NewPageAsync();
        return (context, page, await ConsoleGuard.WatchAsync(page));
    }

    [Fact]
    public async Task ConsoleGuard_ReportsTheCspViolation_OfAnInlineScript_AndTheScriptDoesNotRun()
    {
        var (context, page, guard) = await ServeAsync("<!doctype html><title>t</title><script>window.inlineRan = true;</script><p>ok</p>");
        await using var _ = context;

        await page.GotoAsync(Origin + "/");

        Assert.False(await page.EvaluateAsync<bool>("window.inlineRan === true"));
        for (var i = 0; i < 50 && guard.Errors.Count == 0; i++) await Task.Delay(100);
        Assert.Contains(guard.Errors, e => e.Contains("script-src", StringComparison.Ordinal));
        Assert.ThrowsAny<Exception>(guard.AssertClean);
    }

    [Fact]
    public async Task ConsoleGuard_ReportsAnUncaughtErrorOfAPageScript()
    {
        var (context, page, guard) = await ServeAsync("<!doctype html><title>t</title><script src=\"/boom.js\"></script>",
            "throw new Error('boom from a page script');");
        await using var _ = context;

        await page.GotoAsync(Origin + "/");

        for (var i = 0; i < 50 && guard.Errors.Count == 0; i++) await Task.Delay(100);
        Assert.Contains(guard.Errors, e => e.Contains("boom from a page script", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsoleGuard_StaysClean_OnAPageThatFollowsThePolicy()
    {
        var (context, page, guard) = await ServeAsync("<!doctype html><title>t</title><script src=\"/fine.js\"></script>",
            "document.title = 'ran';");
        await using var _ = context;

        await page.GotoAsync(Origin + "/");

        await Assertions.Expect(page).ToHaveTitleAsync("ran");
        guard.AssertClean();
    }
}
