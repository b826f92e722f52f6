namespace MicAi.Host;

/// <summary>
/// Whether the start-up migration check has passed. A role that serves HTTP listens while the check runs, so a probe
/// gets its answer in about half the time (bench: launch → first /health); until the check passes, /health answers,
/// every other request waits here (<see cref="SchemaGateMiddleware"/>) and the role's loops do not start. A role that
/// serves no HTTP checks first and starts afterwards, with the gate already open.
/// </summary>
public sealed class SchemaGate
{
    private readonly TaskCompletionSource<bool> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsOpen => outcome.Task is { IsCompletedSuccessfully: true, Result: true };

    /// <summary>The schema is current: requests and loops go on.</summary>
    public void Open() => outcome.TrySetResult(true);

    /// <summary>The check will never pass in this process (it is stopping, or the check failed).</summary>
    public void Shut() => outcome.TrySetResult(false);

    /// <summary>True once open, false when shut; waits for whichever comes first.</summary>
    public Task<bool> WaitAsync(CancellationToken ct) => outcome.Task.WaitAsync(ct);
}
