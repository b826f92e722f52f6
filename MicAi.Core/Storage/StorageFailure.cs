using System.Net.Sockets;
using Npgsql;

namespace MicAi.Core.Storage;

/// <summary>Tells "the database is unreachable" (retry later) apart from a bug in our SQL (must surface).</summary>
public static class StorageFailure
{
    public static bool IsUnavailable(Exception ex) => ex switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } => true,
        PostgresException pg => pg.SqlState.StartsWith("57P", StringComparison.Ordinal)   // admin shutdown, cannot connect now
                               || pg.SqlState.StartsWith("08", StringComparison.Ordinal),  // connection exceptions
        SocketException or TimeoutException => true,
        _ => false,
    };
}
