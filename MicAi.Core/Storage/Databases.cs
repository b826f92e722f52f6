using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MicAi.Core.Storage;

/// <summary>
/// The Npgsql pools. Every store uses the main one (<c>MICAI_DATABASE_URL</c>). Work that needs a session of its own
/// (the migrator's advisory lock; LISTEN would too) uses the one registered under <see cref="Direct"/>: the server
/// itself named by <c>MICAI_DATABASE_DIRECT_URL</c> when that is set, otherwise the main pool.
/// </summary>
public static class Databases
{
    /// <summary>Service key of the direct data source (<c>[FromKeyedServices(Databases.Direct)]</c>).</summary>
    public const string Direct = "MicAi.Storage.Direct";

    /// <summary>Postgres: the pools and the migrator.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, StorageSettings settings)
    {
        services.AddSingleton(settings).AddSingleton<Migrator>();
        // Created lazily so configuration errors surface before any connection attempt.
        var direct = settings.DirectConnectionString;
        services.AddSingleton(_ => Build(settings.ConnectionString, behindPooler: direct is not null));
        services.AddKeyedSingleton(Direct, (provider, _) =>
            direct is null ? provider.GetRequiredService<NpgsqlDataSource>() : Build(direct, behindPooler: false));
        return services;
    }

    /// <summary>
    /// One pool, with options chosen for the per-message cost unless the connection string names them itself.
    /// The same few statements run for every message, so they are prepared automatically (about a third less
    /// Postgres CPU per reply in the bench) — but not behind a pooler (a direct URL is set, so the main one is a
    /// pooler): PgBouncer in transaction mode hands each transaction any server connection, where a statement this
    /// client prepared on another one does not exist (or one of the same name does). PgBouncer 1.21+ with
    /// max_prepared_statements tracks protocol-level prepares; naming Max Auto Prepare in that URL turns them on.
    /// No reset on close: nothing here leaves session state behind (the migrator unlocks its advisory lock itself,
    /// open transactions are still rolled back), and the reset would add four statements to every pooled use.
    /// </summary>
    internal static NpgsqlDataSource Build(string connectionString, bool behindPooler)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }; // only the keys the string names
        var options = builder.ConnectionStringBuilder;
        if (!given.ContainsKey("Max Auto Prepare")) options.MaxAutoPrepare = behindPooler ? 0 : 64;
        if (!given.ContainsKey("No Reset On Close")) options.NoResetOnClose = true;
        // The managed Postgres services MicAi targets use TLS, not GSS; probing for GSS encryption at the first
        // connection loads the Kerberos libraries (~1.5 MB RSS per process, bench).
        if (!given.ContainsKey("GSS Encryption Mode")) options.GssEncryptionMode = GssEncryptionMode.Disable;
        // No TransactionScope anywhere in MicAi: do not look for an ambient transaction on every open.
        if (!given.ContainsKey("Enlist")) options.Enlist = false;
        // With tracing on, each command's span is kept but not its "received-first-response" event: one more object
        // per query, serialized into every export, for a time the span's own duration already bounds.
        builder.ConfigureTracing(tracing => tracing.EnableFirstResponseEvent(false));
        return builder.Build();
    }
}
