using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Configuration;

/// <summary>
/// The test Postgres speaks TLS only, with a certificate from the rig's private CA (MICAI_TEST_TLS_DIR), so these
/// prove how MicAi is made to trust a private CA, as an operator would: libpq's sslmode and sslrootcert in the URL
/// (mapped to Npgsql's SSL Mode and Root Certificate), Npgsql's own keywords, libpq's PGSSLROOTCERT (Npgsql reads it
/// too), or the process-wide SSL_CERT_FILE / SSL_CERT_DIR that .NET on Linux reads for its root store.
/// </summary>
public sealed class PostgresTlsTests
{
    private static string WithQuery(string query) => new UriBuilder(TestServers.AdminDatabaseUrl) { Query = query }.Uri.ToString();

    /// <summary>Opens one unpooled connection and returns its TLS version as the server sees it.</summary>
    private static async Task<string> TlsVersionAsync(string url)
    {
        var options = new NpgsqlConnectionStringBuilder(ConnectionStrings.ToNpgsql(url)) { Pooling = false };
        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl", connection);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static string AnotherCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Someone else's CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetTempPath(), $"micai-other-ca-{Guid.NewGuid():N}.crt");
        File.WriteAllText(path, ca.ExportCertificatePem());
        return path;
    }

    [Theory]
    [InlineData("verify-full")]
    [InlineData("verify-ca")]
    public async Task Url_Connects_WhenSslRootCertNamesTheRigsCa(string sslmode) =>
        Assert.StartsWith("TLS", await TlsVersionAsync(WithQuery($"sslmode={sslmode}&sslrootcert={TestServers.TlsFile("ca.crt")}")));

    [Theory]
    [InlineData("verify-full")]
    [InlineData("verify-ca")]
    public async Task Url_IsRefused_WhenNothingTrustsTheServersCa(string sslmode)
    {
        var error = await Assert.ThrowsAsync<NpgsqlException>(() => TlsVersionAsync(WithQuery($"sslmode={sslmode}")));
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task VerifyFull_IsRefused_WhenSslRootCertIsAnotherCa()
    {
        var other = AnotherCa();
        try
        {
            var error = await Assert.ThrowsAsync<NpgsqlException>(() => TlsVersionAsync(WithQuery($"sslmode=verify-full&sslrootcert={other}")));
            Assert.IsType<AuthenticationException>(error.InnerException);
        }
        finally { File.Delete(other); }
    }

    /// <summary>As in libpq, require encrypts but does not check who answers: verify-full is what an operator wants.</summary>
    [Fact]
    public async Task Require_Encrypts_WithoutCheckingTheCertificate() =>
        Assert.StartsWith("TLS", await TlsVersionAsync(WithQuery("sslmode=require")));

    [Fact]
    public async Task NpgsqlKeywords_Connect_WithRootCertificateAndVerifyFull()
    {
        var url = new Uri(TestServers.AdminDatabaseUrl);
        var password = Uri.UnescapeDataString(url.UserInfo.Split(':')[1]);
        var native = $"Host=127.0.0.1;Port={url.Port};Database=postgres;Username=postgres;Password={password};SSL Mode=VerifyFull;Root Certificate={TestServers.TlsFile("ca.crt")}";

        Assert.StartsWith("TLS", await TlsVersionAsync(native));
    }

    /// <summary>The rig is shaped like a managed service: no plaintext and no wrong password, on the server or the pooler.</summary>
    [Fact]
    public async Task TestPostgresAndPgBouncer_RefusePlaintextAndAWrongPassword()
    {
        foreach (var admin in new[] { TestServers.AdminDatabaseUrl, TestServers.PoolerUrl })
        {
            var plaintext = new UriBuilder(admin) { Query = "sslmode=disable" }.Uri.ToString();
            await Assert.ThrowsAsync<PostgresException>(() => TlsVersionAsync(plaintext));
            var wrongPassword = new UriBuilder(admin) { Password = "not-the-password" }.Uri.ToString();
            await Assert.ThrowsAsync<PostgresException>(() => TlsVersionAsync(wrongPassword)); // 28P01 from Postgres, 08P01 from PgBouncer
        }
    }

    [Theory]
    [InlineData("PGSSLROOTCERT")]
    [InlineData("SSL_CERT_FILE")]
    [InlineData("SSL_CERT_DIR")]
    public async Task Host_TrustsThePrivateCa_FromAnEnvironmentVariable(string variable)
    {
        var database = await TestServers.CreateDatabaseAsync();
        var env = new Dictionary<string, string?>
        {
            [StorageSettings.Keys.DatabaseUrl] = new UriBuilder(database) { Query = "sslmode=verify-full" }.Uri.ToString(),
            [QueueSettings.Keys.RedisUrl] = TestServers.RedisUrl,
        };
        await using (var untrusted = HostProcess.Start(["migrate"], env))
        {
            Assert.NotEqual(0, await untrusted.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("certificate", untrusted.Output, StringComparison.OrdinalIgnoreCase);
        }

        // A directory of trusted CA files (here: just the rig's), or one file of them.
        var trustDir = Directory.CreateTempSubdirectory("micai-trust-").FullName;
        File.Copy(TestServers.TlsFile("ca.crt"), Path.Combine(trustDir, "micai-rig-ca.crt"));
        env[variable] = variable == "SSL_CERT_DIR" ? trustDir : TestServers.TlsFile("ca.crt");
        try
        {
            await using var trusted = HostProcess.Start(["migrate"], env);
            Assert.True(await trusted.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, trusted.Output);
        }
        finally { Directory.Delete(trustDir, recursive: true); }
    }
}
