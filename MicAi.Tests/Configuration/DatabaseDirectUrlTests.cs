using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Tests.Configuration;

/// <summary>MICAI_DATABASE_DIRECT_URL: optional, read like every other secret, in either form.</summary>
public sealed class DatabaseDirectUrlTests : IDisposable
{
    private readonly TempSecrets env = new();

    public void Dispose() => env.Dispose();

    [Fact]
    public void DirectUrl_IsNull_WhenNotSet_EvenInProd()
    {
        foreach (var key in SettingsCatalog.RequiredInProd) env.Variables[key] = "prod-value-" + key;
        env.Variables[AppSettings.Keys.AppEnv] = "prod";
        env.Variables[StorageSettings.Keys.DatabaseUrl] = "postgresql://app:pw@pooler.internal:6432/micai";
        env.Variables[QueueSettings.Keys.RedisUrl] = "redis://cache:6379/0";

        Assert.Null(env.Load().Storage.DirectConnectionString);
    }

    [Fact]
    public void DirectUrl_MapsTheUrlForm_WithItsPasswordAndTlsOptions()
    {
        env.Variables[StorageSettings.Keys.DatabaseDirectUrl] = "postgresql://app:p%40ss@db.internal:5432/micai?sslmode=verify-full&sslrootcert=/etc/micai/ca.crt";

        var direct = new NpgsqlConnectionStringBuilder(env.Load().Storage.DirectConnectionString);

        Assert.Equal(("db.internal", 5432, "micai", "app", "p@ss"), (direct.Host, direct.Port, direct.Database, direct.Username, direct.Password));
        Assert.Equal(SslMode.VerifyFull, direct.SslMode);
        Assert.Equal("/etc/micai/ca.crt", direct.RootCertificate);
    }

    [Fact]
    public void DirectUrl_ComesFromItsFile_AndFromRunSecrets()
    {
        env.Variables[StorageSettings.Keys.DatabaseDirectUrl + "_FILE"] = env.WriteFile("Host=db.internal;Username=app;Password=from-file;Database=micai");
        Assert.Equal("from-file", new NpgsqlConnectionStringBuilder(env.Load().Storage.DirectConnectionString).Password);

        env.Variables.Clear();
        env.WriteSecret("database_direct_url", "postgresql://app:from-run-secrets@db.internal/micai");
        Assert.Equal("from-run-secrets", new NpgsqlConnectionStringBuilder(env.Load().Storage.DirectConnectionString).Password);
    }

    [Fact]
    public void DirectUrl_IsReported_WhenItIsNotAUrlOrConnectionString()
    {
        env.Variables[StorageSettings.Keys.DatabaseDirectUrl] = "postgresql://app:pw@db.internal/micai?sslmode=sometimes";

        var error = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Contains(error.Problems, p => p.StartsWith(StorageSettings.Keys.DatabaseDirectUrl + " is not a valid URL", StringComparison.Ordinal));
    }
}
