namespace MicAi.Core.Queue;

/// <summary>
/// Takes over one job the Python mic.ai service left in its Redis list (<c>&lt;prefix&gt;:jobs</c>, JSON
/// <c>{"job_type", "payload"}</c>). Queue drains the list; what a Python job means (a ledger row, a stored message)
/// is known above it (<c>Inbox/PythonJobImporter</c>). Must be idempotent: a crash after it returned and before the
/// item left the list hands the same item over again.
/// </summary>
public interface IPythonJobImporter
{
    Task ImportAsync(string json, CancellationToken ct);
}
