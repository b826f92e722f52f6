using MicAi.Core.Storage;

namespace MicAi.Tests.Storage;

/// <summary>The group commit behind ingest and the sent marks, with a writer the test holds and releases.</summary>
public sealed class GroupCommitTests
{
    /// <summary>Doubles each number; the first write waits until the test lets it finish.</summary>
    private sealed class HeldWriter
    {
        public readonly TaskCompletionSource FirstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource ReleaseFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly List<int[]> Writes = [];

        public async Task<int[]> WriteAsync(IReadOnlyList<int> batch)
        {
            bool first;
            lock (Writes)
            {
                first = Writes.Count == 0;
                Writes.Add([.. batch]);
            }
            if (first)
            {
                FirstStarted.SetResult();
                await ReleaseFirst.Task;
            }
            if (batch.Contains(13)) throw new InvalidOperationException("13 cannot be written");
            return [.. batch.Select(n => n * 2)];
        }
    }

    [Fact]
    public async Task CallersArrivingDuringAWrite_AreWrittenTogetherInTheNextStatement_EachGettingItsOwnResult()
    {
        var writer = new HeldWriter();
        var commit = new GroupCommit<int, int>(writer.WriteAsync);
        var first = commit.WriteAsync(1);
        await writer.FirstStarted.Task;
        var waiting = Enumerable.Range(2, 10).Select(n => commit.WriteAsync(n)).ToList();

        writer.ReleaseFirst.SetResult();

        Assert.Equal(2, await first);
        Assert.Equal(Enumerable.Range(2, 10).Select(n => n * 2), await Task.WhenAll(waiting));
        Assert.Equal([[1], [.. Enumerable.Range(2, 10)]], writer.Writes);
    }

    [Fact]
    public async Task ABatchTheStatementCannotWrite_IsWrittenAgainOneByOne_SoOnlyTheBadRequestFails()
    {
        var writer = new HeldWriter();
        var commit = new GroupCommit<int, int>(writer.WriteAsync);
        var first = commit.WriteAsync(1);
        await writer.FirstStarted.Task;
        var (good, bad, other) = (commit.WriteAsync(12), commit.WriteAsync(13), commit.WriteAsync(14));

        writer.ReleaseFirst.SetResult();

        Assert.Equal((2, 24, 28), (await first, await good, await other));
        Assert.Equal("13 cannot be written", (await Assert.ThrowsAsync<InvalidOperationException>(() => bad)).Message);
        Assert.Equal([[1], [12, 13, 14], [12], [13], [14]], writer.Writes);
    }

    [Fact]
    public async Task AnOutage_FailsEveryCallerOfTheBatch_WithoutTryingEachAgain()
    {
        var (started, release) = (new TaskCompletionSource(), new TaskCompletionSource());
        var writes = new List<int[]>();
        var commit = new GroupCommit<int, int>(async batch =>
        {
            bool first;
            lock (writes)
            {
                writes.Add([.. batch]);
                first = writes.Count == 1;
            }
            if (first)
            {
                started.SetResult();
                await release.Task;
            }
            throw new TimeoutException("Postgres did not answer"); // an outage (StorageFailure.IsUnavailable)
        });
        var lone = commit.WriteAsync(1);
        await started.Task;
        var batch = new[] { 2, 3, 4 }.Select(commit.WriteAsync).ToList();

        release.SetResult();

        await Assert.ThrowsAsync<TimeoutException>(() => lone);
        foreach (var caller in batch) await Assert.ThrowsAsync<TimeoutException>(() => caller);
        Assert.Equal([[1], [2, 3, 4]], writes);
    }
}
