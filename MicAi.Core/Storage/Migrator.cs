using DbUp;
using DbUp.Engine.Output;
using DbUp.Postgresql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MicAi.Core.Storage;

/// <summary>
/// Applies the embedded, versioned SQL scripts (DbUp journals them in <c>schemaversions</c>). A Postgres advisory
/// lock serialises concurrent callers, so api, worker and scheduler starting together never race. It works on the
/// direct data source (<see cref="Databases.Direct"/>): a session lock means nothing through a transaction-mode pooler,
/// which may run the unlock on another server connection than the lock.
/// </summary>
public sealed class Migrator([FromKeyedServices(Databases.Direct)] NpgsqlDataSource db, ILogger<Migrator> log)
{
    private const long LockKey = 0x4D6963416901; // "MicAi" + 1: any constant unique to this app

    private static readonly string[] Scripts =
        typeof(Migrator).Assembly.GetManifestResourceNames().Where(IsMigration).ToArray();

    private static bool IsMigration(string resourceName) => resourceName.Contains(".Storage.Migrations.", StringComparison.Ordinal);

    public async Task<int> ApplyAsync(CancellationToken ct)
    {
        // Every role checks at start: when the schema is current that is one query, with no lock and no DbUp.
        if (await IsUpToDateAsync(ct))
        {
            StorageLog.MigrationsApplied(log, 0);
            return 0;
        }
        await using var lockConnection = await db.OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", lockConnection))
        {
            take.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey });
            await take.ExecuteNonQueryAsync(ct);
        }
        try
        {
            // DbUp opens its connections through the data source, which keeps the password: its ConnectionString does not.
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(new PostgresqlConnectionManager(db))
                .WithScriptsEmbeddedInAssembly(typeof(Migrator).Assembly, IsMigration)
                .WithTransactionPerScript()
                .LogTo(new DbUpLog(log))
                .Build();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful) throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed", result.Error);
            var applied = result.Scripts.Count();
            StorageLog.MigrationsApplied(log, applied);
            return applied;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", lockConnection);
            release.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey });
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<bool> IsUpToDateAsync(CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand("SELECT scriptname FROM schemaversions");
            var journaled = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) journaled.Add(reader.Get<string>("scriptname"));
            return Scripts.All(journaled.Contains);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false; // a fresh database
        }
    }

    /// <summary>DbUp talks a lot at Information; keep its chatter at Debug and its errors as errors.</summary>
    private sealed class DbUpLog(ILogger log) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => StorageLog.DbUp(log, string.Format(format, args));
        public void LogWarning(string format, params object[] args) => StorageLog.DbUpWarning(log, string.Format(format, args));
        public void LogError(string format, params object[] args) => StorageLog.DbUpError(log, string.Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => StorageLog.DbUpError(log, string.Format(format, args), ex);
    }
}
