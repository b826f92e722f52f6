namespace MicAi.Functions;

/// <summary>
/// Why this worker cannot serve yet (settings the platform has not resolved, migrations still running), or null
/// once it can. While closed, <see cref="StartupGateMiddleware"/> answers HTTP with 503 naming the reason and lets
/// timer runs pass without work: the worker stays up instead of exiting, which the Functions host would answer by
/// starting it again and again.
/// </summary>
public sealed class StartupGate(string? closedBecause = null)
{
    private volatile string? reason = closedBecause;

    public string? Reason => reason;

    public void Close(string why) => reason = why;

    public void Open() => reason = null;
}
