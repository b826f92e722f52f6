using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>
/// "Most recent message first" without reading every contact's summary. A contact's place in that order is its newest
/// message, inbound or outbound; so the newest messages of both tables, walked back in time through their time indexes
/// (<see cref="Inbox.InboundStore.SendersBackInTimeAsync"/>, <see cref="Outbox.OutboundLedger.RecipientsBackInTimeAsync"/>)
/// and merged, name the contacts in list order, and only the summaries of the contacts named are read. The summary
/// order read all of them: two index probes per contact, 2.2 s with the bench's tens of thousands of contacts. The
/// walk gives up (and the summary order answers) after <see cref="MaxChunks"/> chunks, which a selective filter or a
/// far page may need, and when every contact with a message is listed and more are wanted: contacts without any come
/// last, oldest first, and only the summary order has them. Contacts whose newest messages share one instant may come
/// in another order than the summary order's tie-break.
/// </summary>
public sealed partial class ContactStore
{
    private const int Chunk = 500;
    private const int MaxChunks = 20;

    /// <summary>One table's walk: how to read its next chunk, and where it stands.</summary>
    private sealed class Walk(Func<TimeCursor?, int, CancellationToken, Task<List<Mention>>> read)
    {
        public TimeCursor? Cursor { get; private set; }
        public bool Done { get; private set; }

        public Task<List<Mention>> NextAsync(CancellationToken ct) => Done ? Task.FromResult(new List<Mention>()) : read(Cursor, Chunk, ct);

        /// <summary>The walk goes on after the last row taken; it is over when its table had no more and all were taken.</summary>
        public void Took(List<Mention> fetched, List<Mention> taken)
        {
            if (taken.Count > 0) Cursor = taken[^1].Cursor;
            Done = fetched.Count < Chunk && taken.Count == fetched.Count;
        }
    }

    /// <returns>The page, or null when the summary order must answer.</returns>
    private async Task<List<ContactView>?> ListByRecentMessagesAsync(ContactFilter q, int limit, int offset, CancellationToken ct)
    {
        var wanted = offset + limit;
        var fromIn = new Walk(inbound.SendersBackInTimeAsync);
        var fromOut = new Walk(ledger.RecipientsBackInTimeAsync);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var page = new List<ContactView>();
        for (var chunk = 0; page.Count < wanted; chunk++)
        {
            if (chunk == MaxChunks || fromIn.Done && fromOut.Done) return null;
            var named = Merge(fromIn, await fromIn.NextAsync(ct), fromOut, await fromOut.NextAsync(ct))
                .Select(m => m.WaId).Where(seen.Add).ToArray();
            if (named.Length > 0) page.AddRange(await SummariesInOrderAsync(q, named, ct));
        }
        return [.. page.Skip(offset).Take(limit)];
    }

    /// <summary>
    /// The mentions that may be listed now, newest first: all of the chunk that reached back least far, and the other
    /// chunk's down to that point (its older rows come again with its next chunk). A chunk that is not full ends its
    /// table and sets no such point.
    /// </summary>
    private static List<Mention> Merge(Walk a, List<Mention> fromA, Walk b, List<Mention> fromB)
    {
        DateTimeOffset? reach = null;
        if (fromA.Count == Chunk) reach = fromA[^1].Cursor.At;
        if (fromB.Count == Chunk && (reach is null || fromB[^1].Cursor.At > reach)) reach = fromB[^1].Cursor.At;
        var takeA = fromA.TakeWhile(m => reach is null || m.Cursor.At >= reach).ToList();
        var takeB = fromB.TakeWhile(m => reach is null || m.Cursor.At >= reach).ToList();
        a.Took(fromA, takeA);
        b.Took(fromB, takeB);
        return [.. takeA.Concat(takeB).OrderByDescending(m => m.Cursor.At)];
    }

    /// <summary>The summaries of <paramref name="waIds"/> that pass the filters, in the order given (unknown contacts are left out).</summary>
    private async Task<IEnumerable<ContactView>> SummariesInOrderAsync(ContactFilter q, string[] waIds, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT * FROM ({Summary} WHERE c.wa_id = ANY($6)) s WHERE {Filters}");
        AddFilters(cmd, q);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = waIds });
        var byId = (await ReadSummariesAsync(cmd, ct)).ToDictionary(c => c.WaId, StringComparer.Ordinal);
        return waIds.Select(byId.GetValueOrDefault).OfType<ContactView>();
    }
}
