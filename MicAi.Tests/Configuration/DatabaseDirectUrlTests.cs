using MicAi.Core.Configuration;
using Npgsql;
using K = MicAi.Core.Configuration.MicAiSettings.Keys;

namespace MicAi.Tests.Configuration;

/// <summary>MICAI_DATABASE_DIRECT_URL: optional, read like every other secret, in either form.</summary>
public sealed class DatabaseDirectUrlTests : IDisposable
{
    private readonly TempSecrets env = new();

    public void Dispose() => env.Dispose();

    [Fact]
    public void DirectUrl_IsNull_WhenNotSet_EvenInProd()
    {
        foreach (var key in MicAiSettings.RequiredInProd) env.Variables[key] = "prod-value-" + key;
        env.Variables[K.AppEnv] = "prod";
        env.Variables[K.DatabaseUrl] = "postgresql://app:pw@pooler.internal:6432/micai";
        env.Variables[K.RedisUrl] = "redis://cache:6379/0";

        Assert.Null(env.Load().PostgresDirectConnectionString);
    }

    [Fact]
    public void DirectUrl_MapsTheUrlForm_WithItsPasswordAndTlsOptions()
    {
        env.Variables[K.DatabaseDirectUrl] = "postgresql://app:p%40ss@db.internal:5432/micai?sslmode=verify-full&sslrootcert=/etc/micai/ca.crt";

        var direct = new NpgsqlConnectionStringBuilder(env.Load().PostgresDirectConnectionString);

        Assert.Equal(("db.internal", 5432, "micai", "app", "p@ss"), (direct.Host, direct.Port, direct.Database, direct.Username, direct.Password));
        Assert.Equal(SslMode.VerifyFull, direct.SslMode);
        Assert.Equal("/etc/micai/ca.crt", direct.RootCertificate);
    }

    [Fact]
    public void DirectUrl_ComesFromItsFile_AndFromRunSecrets()
    {
        env.Variables[K.DatabaseDirectUrl + "_FILE"] = env.WriteFile("Host=db.internal;Username=app;Password=from-file;Database=micai");
        Assert.Equal("from-file", new NpgsqlConnectionStringBuilder(env.Load().PostgresDirectConnectionString).Password);

        env.Variables.Clear();
        env.WriteSecret("database_direct_url", "postgresql://app:from-run-secrets@db.internal/micai");
        Assert.Equal("from-run-secrets", new NpgsqlConnectionStringBuilder(env.Load().PostgresDirectConnectionString).Password);
    }

    [Fact]
    public void DirectUrl_IsReported_WhenItIsNotAUrlOrConnectionString()
    {
        env.Variables[K.DatabaseDirectUrl] = "postgresql://app:pw@db.internal/micai?sslmode=sometimes";

        var error = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Contains(error.Problems, p => p.StartsWith(K.DatabaseDirectUrl + " is not a valid URL", StringComparison.Ordinal));
    }
}
