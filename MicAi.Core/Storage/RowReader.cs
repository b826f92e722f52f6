using Npgsql;

namespace MicAi.Core.Storage;

/// <summary>
/// Readers go by column name, never by position, so a column added to a query or moved in it cannot shift what a
/// reader gets. Npgsql indexes every result's column names as it reads the row description, so a lookup by name is a
/// dictionary probe, no allocation.
/// </summary>
public static class RowReader
{
    public static T Get<T>(this NpgsqlDataReader r, string column) => r.GetFieldValue<T>(r.GetOrdinal(column));

    /// <summary>A nullable column of a reference type (text, arrays).</summary>
    public static T? GetOrNull<T>(this NpgsqlDataReader r, string column) where T : class
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
    }

    /// <summary>A nullable column of a value type (numbers, times, booleans).</summary>
    public static T? GetNullable<T>(this NpgsqlDataReader r, string column) where T : struct
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
    }
}
