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
            // A Python mic.ai database: its tables step aside (renamed, one transaction) before MicAi's scripts create
            // tables of the same names; 0041 copies them. Resumable: a crash after this finds nothing left to rename.
            var renamed = await PythonDatabase.RenameAsync(lockConnection, ct);
            if (renamed.Count > 0) StorageLog.PythonTablesRenamed(log, string.Join(", ", renamed));
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

    /// <summary>
    /// What <see cref="ApplyAsync"/> would do, one line per step, changing nothing (<c>migrate --dry-run</c>): the
    /// Python tables it would rename, the scripts it would apply, the rows the Python import would copy.
    /// </summary>
    public async Task<IReadOnlyList<string>> PlanAsync(CancellationToken ct)
    {
        var pending = Scripts.Except(await JournaledAsync(ct)).Order(StringComparer.Ordinal).ToList();
        await using var connection = await db.OpenConnectionAsync(ct);
        var plan = new List<string>(await PythonDatabase.PlanAsync(connection, pending.Contains(PythonDatabase.ImportScript), ct));
        plan.InsertRange(plan.FindLastIndex(l => l.StartsWith("rename", StringComparison.Ordinal)) + 1,
            pending.Select(s => "apply migration " + ScriptName(s)));
        if (plan.Count == 0) plan.Add("nothing to do: the schema is current");
        return plan;
    }

    private static string ScriptName(string resource) => resource[(resource.IndexOf(".Storage.Migrations.", StringComparison.Ordinal) + 20)..];

    private async Task<bool> IsUpToDateAsync(CancellationToken ct) => Scripts.All((await JournaledAsync(ct)).Contains);

    private async Task<HashSet<string>> JournaledAsync(CancellationToken ct)
    {
        var journaled = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var cmd = db.CreateCommand("SELECT scriptname FROM schemaversions");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) journaled.Add(reader.Get<string>("scriptname"));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // a fresh database (or the Python service's): nothing journaled
        }
        return journaled;
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
