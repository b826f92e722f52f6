using MicAi.Core.Storage;

namespace MicAi.Tests.Storage;

/// <summary>The group commit behind ingest and the sent marks, with a writer the test holds and releases.</summary>
public sealed class GroupCommitTests
{
    /// <summary>Doubles each number unless <paramref name="fail"/> names an exception; the first write waits until released.</summary>
    private sealed class HeldWriter(Func<IReadOnlyList<int>, Exception?> fail)
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
            if (fail(batch) is { } ex) throw ex;
            return [.. batch.Select(n => n * 2)];
        }
    }

    /// <summary>A statement that cannot write 13 (and only 13).</summary>
    private static Exception? RefusesThirteen(IReadOnlyList<int> batch) =>
        batch.Contains(13) ? new InvalidOperationException("13 cannot be written") : null;

    /// <summary>A group commit whose first write, of 1, is in flight and held; later callers queue behind it.</summary>
    private static async Task<(HeldWriter Writer, GroupCommit<int, int> Commit, Task<int> First)> FirstWriteHeldAsync(Func<IReadOnlyList<int>, Exception?> fail)
    {
        var writer = new HeldWriter(fail);
        var commit = new GroupCommit<int, int>(writer.WriteAsync);
        var first = commit.WriteAsync(1);
        await writer.FirstStarted.Task;
        return (writer, commit, first);
    }

    [Fact]
    public async Task CallersArrivingDuringAWrite_AreWrittenTogetherInTheNextStatement_EachGettingItsOwnResult()
    {
        var (writer, commit, first) = await FirstWriteHeldAsync(RefusesThirteen);
        var waiting = Enumerable.Range(2, 10).Select(n => commit.WriteAsync(n)).ToList();

        writer.ReleaseFirst.SetResult();

        Assert.Equal(2, await first);
        Assert.Equal(Enumerable.Range(2, 10).Select(n => n * 2), await Task.WhenAll(waiting));
        Assert.Equal([[1], [.. Enumerable.Range(2, 10)]], writer.Writes);
    }

    [Fact]
    public async Task ABatchTheStatementCannotWrite_IsWrittenAgainOneByOne_SoOnlyTheBadRequestFails()
    {
        var (writer, commit, first) = await FirstWriteHeldAsync(RefusesThirteen);
        var (good, bad, other) = (commit.WriteAsync(12), commit.WriteAsync(13), commit.WriteAsync(14));

        writer.ReleaseFirst.SetResult();

        Assert.Equal((2, 24, 28), (await first, await good, await other));
        Assert.Equal("13 cannot be written", (await Assert.ThrowsAsync<InvalidOperationException>(() => bad)).Message);
        Assert.Equal([[1], [12, 13, 14], [12], [13], [14]], writer.Writes);
    }

    [Fact]
    public async Task AnOutage_FailsEveryCallerOfTheBatch_WithoutTryingEachAgain()
    {
        // An outage (StorageFailure.IsUnavailable): every write fails the same way.
        var (writer, commit, lone) = await FirstWriteHeldAsync(_ => new TimeoutException("Postgres did not answer"));
        var batch = new[] { 2, 3, 4 }.Select(commit.WriteAsync).ToList();

        writer.ReleaseFirst.SetResult();

        await Assert.ThrowsAsync<TimeoutException>(() => lone);
        foreach (var caller in batch) await Assert.ThrowsAsync<TimeoutException>(() => caller);
        Assert.Equal([[1], [2, 3, 4]], writer.Writes);
    }
}
