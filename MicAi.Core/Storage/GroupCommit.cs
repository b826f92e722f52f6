namespace MicAi.Core.Storage;

/// <summary>
/// A group commit: the writes of callers that arrive together go to Postgres as one statement and one commit. Whoever
/// is first in line writes every request waiting then and hands the turn to the next waiter, so no caller writes for
/// others longer than one statement, and a lone caller pays no added latency (no timer: batches grow under load only).
/// Every caller still waits for its own request's commit. A batch that fails for a reason other than an outage is
/// written again one request at a time, so a request the statement cannot write fails only its own caller.
/// The same shape batches Redis round trips too: the pacer's reserves and releases are one script call per group
/// (Outbox/OutboundPacer.cs).
/// </summary>
/// <param name="write">Writes the requests in one statement; returns one result per request, in their order.</param>
public sealed class GroupCommit<TRequest, TResult>(Func<IReadOnlyList<TRequest>, Task<TResult[]>> write)
{
    private readonly Lock gate = new();
    private List<Waiter> waiting = [];
    private bool writing;

    private sealed class Waiter(TRequest request)
    {
        public TRequest Request { get; } = request;
        public TaskCompletionSource<TResult> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Writes <paramref name="request"/>, alone or with others; throws what its write threw.</summary>
    public async Task<TResult> WriteAsync(TRequest request)
    {
        var waiter = new Waiter(request);
        bool first;
        lock (gate)
        {
            waiting.Add(waiter);
            first = !writing;
            writing = true;
        }
        if (!first && await Task.WhenAny(waiter.Written.Task, waiter.Turn.Task) == waiter.Turn.Task) first = true;
        if (first) await WriteWaitingAsync();
        return await waiter.Written.Task;
    }

    private async Task WriteWaitingAsync()
    {
        List<Waiter> batch;
        lock (gate) (batch, waiting) = (waiting, []);
        try
        {
            await WriteBatchAsync(batch);
        }
        catch (Exception ex)
        {
            foreach (var waiter in batch) waiter.Written.TrySetException(ex);
        }
        finally
        {
            lock (gate)
            {
                if (waiting.Count > 0) waiting[0].Turn.TrySetResult();
                else writing = false;
            }
        }
    }

    private async Task WriteBatchAsync(List<Waiter> batch)
    {
        try
        {
            var results = await write([.. batch.Select(w => w.Request)]);
            for (var i = 0; i < batch.Count; i++) batch[i].Written.TrySetResult(results[i]);
            return;
        }
        catch (Exception ex) when (batch.Count > 1 && !StorageFailure.IsUnavailable(ex))
        {
            // One request the statement cannot write must not fail the others: each on its own below.
        }
        foreach (var waiter in batch)
        {
            try
            {
                waiter.Written.TrySetResult((await write([waiter.Request]))[0]);
            }
            catch (Exception ex)
            {
                waiter.Written.TrySetException(ex);
            }
        }
    }
}
