using Npgsql;

namespace MicAi.Core.Storage;

/// <summary>Where a walk back in time through a table stands: the last row's time and key (ties are walked by key).</summary>
public readonly record struct TimeCursor(DateTimeOffset At, string Key);

/// <summary>A row met on such a walk: the contact it names, and the cursor after it.</summary>
public readonly record struct Mention(string WaId, TimeCursor Cursor);

/// <summary>
/// One chunk of a walk back in time through a table's time index. Two statements rather than one with an optional
/// cursor: a prepared statement's generic plan cannot use the index under "$2 IS NULL OR …".
/// </summary>
public static class TimeWalk
{
    /// <param name="first">The walk's start: $1 is the chunk's size; columns wa_id, at, key.</param>
    /// <param name="after">The same after <paramref name="cursor"/>: $2 its time, $3 its key.</param>
    public static async Task<List<Mention>> ReadAsync(
        NpgsqlDataSource db, string first, string after, TimeCursor? cursor, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(cursor is null ? first : after);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        if (cursor is { } c)
        {
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = c.At });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = c.Key });
        }
        var rows = new List<Mention>(limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) rows.Add(new Mention(r.Get<string>("wa_id"), new TimeCursor(r.Get<DateTimeOffset>("at"), r.Get<string>("key"))));
        return rows;
    }
}
