using Microsoft.Playwright;

namespace MicAi.Tests.Browser;

/// <summary>
/// Debian's chromium (<c>/usr/bin/chromium</c>, or <c>MICAI_TEST_CHROMIUM</c>) driven by Playwright for .NET, headless,
/// launched once per test run. Playwright's own browser download is never used: bin/test installs the Debian package
/// with apt-get, and a missing browser fails the tests (never a skip). Each launch gets a fresh temporary profile
/// (Playwright passes its own --user-data-dir); the flags keep Chromium off the network this machine does not have.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>Root runs Chromium without its sandbox (it refuses to start otherwise); the rest stops background traffic.</summary>
    public static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("MICAI_TEST_CHROMIUM") is { Length: > 0 } path ? path : DefaultChromium;

    /// <summary>Where failed journeys leave their screenshots: bin/test's results directory (MICAI_TEST_RESULTS_DIR).</summary>
    public static string ScreenshotDirectory => Path.Combine(
        Environment.GetEnvironmentVariable("MICAI_TEST_RESULTS_DIR") is { Length: > 0 } results ? results : Path.Combine(AppContext.BaseDirectory, "TestResults"),
        "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}: bin/test installs Debian's package (apt-get install chromium); set MICAI_TEST_CHROMIUM to use another.");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        // Slow shared machines: a journey waits on a webhook, a queue, a worker and a Graph call before the reply shows.
        Assertions.SetDefaultExpectTimeout(30_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            ChromiumSandbox = false,
            Args = Flags,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="journey"/> on a new page (own context: no cookies or storage shared between tests) and then
    /// checks that no script error, failed console assertion or CSP violation was logged. When the journey or that
    /// check fails, a full-page screenshot is saved as screenshots/&lt;journey&gt;.png and named in the failure.
    /// </summary>
    public async Task RunAsync(string name, Func<IPage, Task> journey, ViewportSize? viewport = null, IReadOnlyList<ConsoleGuard.ExpectedFailure>? expectedFailures = null)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var console = await ConsoleGuard.WatchAsync(page, expectedFailures);
        try
        {
            await journey(page);
            console.AssertClean();
        }
        catch (Exception ex)
        {
            var shot = Path.Combine(ScreenshotDirectory, name + ".png");
            Directory.CreateDirectory(ScreenshotDirectory);
            try { await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true }); }
            catch (PlaywrightException shotFailed) { shot = "(no screenshot: " + shotFailed.Message + ")"; }
            throw new JourneyFailedException($"{name} failed; screenshot {shot}\nbrowser console:\n{console.Transcript}", ex);
        }
    }
}

/// <summary>A browser journey failed; the inner exception is why, the message says where the screenshot is.</summary>
public sealed class JourneyFailedException(string message, Exception inner) : Exception(message + "\n" + inner.Message, inner);
