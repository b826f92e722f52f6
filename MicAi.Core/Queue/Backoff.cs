namespace MicAi.Core.Queue;

/// <summary>Exponential backoff with full jitter (AWS architecture blog's "full jitter"): spreads retries apart.</summary>
public static class Backoff
{
    private static readonly TimeSpan JobBase = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan JobCap = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LoopBase = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LoopCap = TimeSpan.FromSeconds(30);

    /// <summary>Delay before retry number <paramref name="attempt"/> of a job (1 = first retry).</summary>
    public static TimeSpan ForJob(int attempt, TimeSpan? atLeast = null)
    {
        var delay = FullJitter(JobBase, JobCap, attempt);
        return atLeast is { } min && delay < min ? min : delay;
    }

    /// <summary>Delay after the <paramref name="failures"/>-th consecutive failure of a loop. Never zero.</summary>
    public static TimeSpan Loop(int failures) => LoopBase + FullJitter(LoopBase, LoopCap, failures);

    private static TimeSpan FullJitter(TimeSpan baseDelay, TimeSpan cap, int n)
    {
        var ceiling = Math.Min(cap.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(n, 0, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
