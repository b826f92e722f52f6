using System.Collections.Concurrent;
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
    private const string ViolationMarker = "csp-violation:";
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<string> errors = new();

    public IReadOnlyCollection<string> Errors => errors;

    public string Transcript => lines.IsEmpty ? "(nothing logged)" : string.Join('\n', lines);

    public static async Task<ConsoleGuard> WatchAsync(IPage page)
    {
        var guard = new ConsoleGuard();
        page.Console += (_, message) =>
        {
            guard.lines.Enqueue($"{message.Type}: {message.Text}");
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
