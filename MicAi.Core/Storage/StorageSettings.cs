using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Storage.StorageSettings.Keys))]

namespace MicAi.Core.Storage;

/// <summary>Where Postgres is: the URL every query uses and, behind a transaction-mode pooler, the server itself.</summary>
public sealed record StorageSettings(string ConnectionString, string? DirectConnectionString)
{
    public static class Keys
    {
        [Setting("postgresql://micai:micai@127.0.0.1:5432/micai",
            "required; URL form (libpq options such as `sslmode=verify-full&sslrootcert=/path/ca.crt` work) or Npgsql keywords; every query uses it",
            Secret = true, RequiredInProd = true)]
        public const string DatabaseUrl = "MICAI_DATABASE_URL";

        [Setting(null,
            "only when `MICAI_DATABASE_URL` is a transaction-mode pooler (PgBouncer, Supavisor, Neon's `-pooler` host): the server itself, for migrations (a session advisory lock); with it set, the pooled URL prepares no statements unless it names `max_auto_prepare` ([DEPLOYMENT.md §16](DEPLOYMENT.md#16-postgres-tls-a-private-ca-and-a-pooler))",
            Secret = true)]
        public const string DatabaseDirectUrl = "MICAI_DATABASE_DIRECT_URL";
    }

    internal static StorageSettings Read(SettingsReader r) => new(
        r.Convert(Keys.DatabaseUrl, r.Secret(Keys.DatabaseUrl), ConnectionStrings.ToNpgsql, ""),
        // Null: the main URL is the server, used for everything.
        r.Convert(Keys.DatabaseDirectUrl, r.Secret(Keys.DatabaseDirectUrl), ConnectionStrings.ToNpgsql, null as string));

    /// <summary>Never print the connection strings: they hold the password.</summary>
    public override string ToString() => $"StorageSettings {{ Pooled = {DirectConnectionString is not null} }}";
}
