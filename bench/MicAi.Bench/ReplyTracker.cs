using System.Collections.Concurrent;
using System.Diagnostics;

namespace MicAi.Bench;

/// <summary>
/// The correctness ledger of the end-to-end run: every webhook we expect an answer to, and every reply the Graph
/// stub saw, matched by the reply's context.message_id (the inbound wamid). Lost = expected but never answered;
/// duplicated = answered more than once; unexpected = a reply to nothing we sent.
/// </summary>
public sealed class ReplyTracker
{
    private readonly ConcurrentDictionary<string, Entry> expected = new(StringComparer.Ordinal);
    private long unexpected;

    /// <summary>Called once per first reply (the wamid), e.g. to free a closed-loop slot.</summary>
    public event Action<string>? Answered;

    public long Unexpected => Interlocked.Read(ref unexpected);
    public long Expected => expected.Count;
    public long AnsweredCount => expected.Values.Count(e => e.Replies > 0);
    public long Lost => expected.Values.Count(e => e.Replies == 0);
    public long Duplicated => expected.Values.Sum(e => Math.Max(0, e.Replies - 1));

    /// <summary>Registers a wamid before its webhook is posted: the reply can arrive before the 200 does.</summary>
    public void Expect(string wamid, Phase phase)
    {
        if (expected.TryAdd(wamid, new Entry(phase, Stopwatch.GetTimestamp()))) phase.AddExpected();
    }

    /// <summary>The webhook was refused: no answer is owed.</summary>
    public void Forget(string wamid)
    {
        if (expected.TryRemove(wamid, out var e)) e.Phase.RemoveExpected();
    }

    public void Record(string? contextMessageId)
    {
        var now = Stopwatch.GetTimestamp();
        if (contextMessageId is null || !expected.TryGetValue(contextMessageId, out var entry))
        {
            Interlocked.Increment(ref unexpected);
            return;
        }
        if (Interlocked.Increment(ref entry.Replies) == 1)
        {
            entry.Phase.AddReply(Stopwatch.GetElapsedTime(entry.SentAt, now).TotalMilliseconds, now);
            Answered?.Invoke(contextMessageId);
        }
        else
        {
            entry.Phase.AddDuplicate();
        }
    }

    /// <summary>Waits until every expected wamid is answered, or nothing new arrived for <paramref name="quiet"/>.</summary>
    public async Task DrainAsync(Phase phase, TimeSpan quiet, CancellationToken ct)
    {
        var last = phase.Answered;
        var since = Stopwatch.GetTimestamp();
        while (phase.Answered < phase.Expected && !ct.IsCancellationRequested)
        {
            await Task.Delay(20, ct);
            if (phase.Answered != last) { last = phase.Answered; since = Stopwatch.GetTimestamp(); }
            else if (Stopwatch.GetElapsedTime(since) > quiet) break;
        }
    }

    private sealed class Entry(Phase phase, long sentAt)
    {
        public readonly Phase Phase = phase;
        public readonly long SentAt = sentAt;
        public int Replies;
    }

    /// <summary>The figures of one load phase (warm-up, fixed rate, max).</summary>
    public sealed class Phase(string name)
    {
        private readonly Lock gate = new();
        private readonly List<double> latencies = [];
        private readonly List<long> arrivals = [];
        private long expectedCount, duplicates;

        public string Name { get; } = name;
        public long Expected => Interlocked.Read(ref expectedCount);
        public long Duplicated => Interlocked.Read(ref duplicates);
        public long Answered { get { lock (gate) return latencies.Count; } }
        public long Lost => Expected - Answered;

        public Latencies Latencies() { lock (gate) return new Latencies(latencies.ToArray()); }

        /// <summary>When each reply of this phase arrived (Stopwatch timestamps).</summary>
        public long[] Arrivals() { lock (gate) return arrivals.ToArray(); }

        /// <summary>Each reply's arrival (Stopwatch timestamp) with its webhook → reply latency.</summary>
        public (long At, double Ms)[] Timed() { lock (gate) return [.. arrivals.Zip(latencies)]; }

        internal void AddExpected() => Interlocked.Increment(ref expectedCount);
        internal void RemoveExpected() => Interlocked.Decrement(ref expectedCount);
        internal void AddDuplicate() => Interlocked.Increment(ref duplicates);

        internal void AddReply(double ms, long at)
        {
            lock (gate) { latencies.Add(ms); arrivals.Add(at); }
        }
    }
}
