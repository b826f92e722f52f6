using System.Collections;

namespace MicAi.Core.Queue;

/// <summary>
/// The logging scope of one job: every line logged while it runs carries its id and key (the wamid of an inbound job,
/// the ledger's idempotency key of a send), and the JSON console adds the trace and span ids beside them.
/// </summary>
internal sealed class JobScope(Job job) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("JobId", job.Id),
        1 => new(job.Type == JobTypes.Inbound ? "Wamid" : "IdempotencyKey", job.Key),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"job {job.Id} {job.Type} {job.Key}";
}
