using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MicAi.Tests.Browser;

/// <summary>
/// Records what a page logs. Errors are uncaught exceptions (pageerror), console.error and failed console.assert, and
/// Chromium's own reports of a blocked resource or script — a Content-Security-Policy violation is logged as a console
/// error ("Refused to execute inline script because it violates …"), and also caught here from the page's
/// securitypolicyviolation event, so a violation fails the journey whichever way it shows.
/// </summary>
public sealed class ConsoleGuard
{
    /// <summary>A response a journey provokes on purpose (a wrong key's 401): Chromium logs it as an error, the guard lets it pass.</summary>
    public sealed record ExpectedFailure(int Status, string Path)
    {
        public bool Matches(IConsoleMessage message) =>
            message.Text.StartsWith($"Failed to load resource: the server responded with a status of {Status} ", StringComparison.Ordinal)
            && Uri.TryCreate(Regex.Replace(message.Location, @":\d+:\d+$", ""), UriKind.Absolute, out var url) && url.AbsolutePath == Path; // "URL:line:column"
    }

    private const string ViolationMarker = "csp-violation:";
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<string> errors = new();

    public IReadOnlyCollection<string> Errors => errors;

    public string Transcript => lines.IsEmpty ? "(nothing logged)" : string.Join('\n', lines);

    public static async Task<ConsoleGuard> WatchAsync(IPage page, IReadOnlyList<ExpectedFailure>? expected = null)
    {
        var guard = new ConsoleGuard();
        page.Console += (_, message) =>
        {
            guard.lines.Enqueue($"{message.Type}: {message.Text} ({message.Location})");
            if (message.Type is "error" && expected?.Any(e => e.Matches(message)) == true) return;
            if (message.Type is "error" or "assert" || message.Text.StartsWith(ViolationMarker, StringComparison.Ordinal))
                guard.errors.Enqueue(message.Text);
        };
        page.PageError += (_, error) =>
        {
            guard.lines.Enqueue("pageerror: " + error);
            guard.errors.Enqueue(error);
        };
        // Runs in every document before its own scripts, through DevTools (not subject to the page's CSP).
        await page.AddInitScriptAsync($$"""
            document.addEventListener('securitypolicyviolation', (e) =>
              console.warn('{{ViolationMarker}} ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
            """);
        return guard;
    }

    public void AssertClean() =>
        Assert.True(errors.IsEmpty, "the page logged errors or CSP violations:\n" + string.Join('\n', errors));
}
