using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Tests.Configuration;

public class ConnectionStringsTests
{
    private static NpgsqlConnectionStringBuilder Npgsql(string value) => new(ConnectionStrings.ToNpgsql(value));

    [Fact]
    public void ToNpgsql_MapsEveryPartOfAPostgresqlUrl()
    {
        var b = Npgsql("postgresql://u:p%40ss@h:5433/db?sslmode=require");
        Assert.Equal("h", b.Host);
        Assert.Equal(5433, b.Port);
        Assert.Equal("db", b.Database);
        Assert.Equal("u", b.Username);
        Assert.Equal("p@ss", b.Password);
        Assert.Equal(SslMode.Require, b.SslMode);
    }

    [Fact]
    public void ToNpgsql_AcceptsPostgresScheme_AndDefaultsPortTo5432()
    {
        // Render's form: postgres://, no port.
        var b = Npgsql("postgres://render_user:s3cret@dpg-abc123-a.oregon-postgres.render.com/micai_db");
        Assert.Equal("dpg-abc123-a.oregon-postgres.render.com", b.Host);
        Assert.Equal(5432, b.Port);
        Assert.Equal("micai_db", b.Database);
        Assert.Equal("render_user", b.Username);
        Assert.Equal("s3cret", b.Password);
    }

    [Theory]
    [InlineData("postgresql+psycopg")]
    [InlineData("postgresql+psycopg2")]
    [InlineData("POSTGRESQL+PSYCOPG2")]
    public void ToNpgsql_AcceptsThePythonServicesSqlAlchemyUrl(string scheme)
    {
        var b = Npgsql($"{scheme}://u:p%40ss@h:5433/db?sslmode=require");

        Assert.Equal(("h", 5433, "db", "u", "p@ss", SslMode.Require), (b.Host, b.Port, b.Database, b.Username, b.Password, b.SslMode));
    }

    [Fact]
    public void ToNpgsql_RefusesOtherSqlAlchemyDrivers()
    {
        Assert.ThrowsAny<ArgumentException>(() => ConnectionStrings.ToNpgsql("postgresql+asyncpg://u:p@h/db"));
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    [InlineData("REQUIRE", SslMode.Require)]
    public void ToNpgsql_MapsLibpqSslModes(string sslmode, SslMode expected) =>
        Assert.Equal(expected, Npgsql($"postgresql://u:p@h/db?sslmode={sslmode}").SslMode);

    [Fact]
    public void ToNpgsql_AcceptsNeonUrl_WithChannelBinding()
    {
        // Neon hands this out verbatim; channel_binding is a libpq option with an Npgsql equivalent.
        var b = Npgsql("postgresql://alex:AbC123dEf@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require");
        Assert.Equal("ep-cool-darkness-123456.us-east-2.aws.neon.tech", b.Host);
        Assert.Equal(SslMode.Require, b.SslMode);
        Assert.Equal(ChannelBinding.Require, b.ChannelBinding);
    }

    [Fact]
    public void ToNpgsql_MapsOtherLibpqOptions_ToNpgsqlKeywords()
    {
        var b = Npgsql("postgresql://u:p@h/db?connect_timeout=7&application_name=micai%20api&target_session_attrs=read-write");
        Assert.Equal(7, b.Timeout);
        Assert.Equal("micai api", b.ApplicationName);
        Assert.Equal("read-write", b.TargetSessionAttributes);
    }

    [Fact]
    public void ToNpgsql_PassesNativeConnectionStringThrough()
    {
        var b = Npgsql("Host=db.internal;Port=6432;Database=micai;Username=micai_app;Password=x;SSL Mode=VerifyFull");
        Assert.Equal("db.internal", b.Host);
        Assert.Equal(6432, b.Port);
        Assert.Equal("micai", b.Database);
        Assert.Equal("micai_app", b.Username);
        Assert.Equal("x", b.Password);
        Assert.Equal(SslMode.VerifyFull, b.SslMode);
    }

    [Fact]
    public void ToNpgsql_DecodesPercentEncodedUserAndDatabase()
    {
        var b = Npgsql("postgresql://us%3Aer:p%2Fw%3A%23@h/my%20db");
        Assert.Equal("us:er", b.Username);
        Assert.Equal("p/w:#", b.Password);
        Assert.Equal("my db", b.Database);
    }

    [Theory]
    [InlineData("Host=h;NoSuchKeyword=1")]
    [InlineData("postgresql://u:p@h/db?sslmode=sometimes")]
    [InlineData("postgresql://u:p@h:notaport/db")]
    public void ToNpgsql_Throws_WhenValueIsInvalid(string value) =>
        Assert.ThrowsAny<Exception>(() => ConnectionStrings.ToNpgsql(value));

    [Fact]
    public void ToRedis_MapsPasswordOnlyUrlWithDatabase()
    {
        var o = ConnectionStrings.ToRedis("redis://:p@h:6380/2");
        Assert.Equal("h:6380", Endpoint(o));
        Assert.Equal("p", o.Password);
        Assert.Null(o.User);
        Assert.Equal(2, o.DefaultDatabase);
        Assert.False(o.Ssl);
        Assert.False(o.AbortOnConnectFail);
    }

    [Fact]
    public void ToRedis_TurnsOnTls_ForRedissUrl_AndKeepsTheUser()
    {
        var o = ConnectionStrings.ToRedis("rediss://u:p@h:6380");
        Assert.True(o.Ssl);
        Assert.Equal("u", o.User);
        Assert.Equal("p", o.Password);
        Assert.Equal("h:6380", Endpoint(o));
        Assert.False(o.AbortOnConnectFail);
    }

    [Fact]
    public void ToRedis_DefaultsPortTo6379()
    {
        var o = ConnectionStrings.ToRedis("redis://h");
        Assert.Equal("h:6379", Endpoint(o));
        Assert.Null(o.Password);
        Assert.Null(o.DefaultDatabase);
        Assert.False(o.AbortOnConnectFail);
    }

    [Fact]
    public void ToRedis_ParsesAzureNativeForm()
    {
        var o = ConnectionStrings.ToRedis("micai.redis.cache.windows.net:6380,password=x,ssl=True");
        Assert.Equal("micai.redis.cache.windows.net:6380", Endpoint(o));
        Assert.Equal("x", o.Password);
        Assert.True(o.Ssl);
        Assert.False(o.AbortOnConnectFail);
    }

    [Fact]
    public void ToRedis_OverridesAbortOnConnectFail_EvenWhenTheStringAsksForIt()
    {
        var o = ConnectionStrings.ToRedis("h:6379,abortConnect=true");
        Assert.False(o.AbortOnConnectFail);
        Assert.True(o.ConnectRetry >= 3);
    }

    [Fact]
    public void ToRedis_DecodesPercentEncodedPassword()
    {
        var o = ConnectionStrings.ToRedis("redis://default:p%40ss%3Aw0rd@h:6379/0");
        Assert.Equal("default", o.User);
        Assert.Equal("p@ss:w0rd", o.Password);
        Assert.Equal(0, o.DefaultDatabase);
    }

    [Fact]
    public void DescribeRedis_NamesTheEndpointButNeverThePassword()
    {
        var text = ConnectionStrings.DescribeRedis(ConnectionStrings.ToRedis("rediss://u:topsecret@h:6380"));
        Assert.Equal("h:6380", text);
        Assert.DoesNotContain("topsecret", text);
    }

    [Fact]
    public void ToRedis_TrustsThePrivateCa_NamedBySslCaCerts()
    {
        var ca = Path.Combine(Path.GetTempPath(), $"micai-ca-{Guid.NewGuid():N}.crt");
        File.WriteAllText(ca, TestCertificates.SelfSignedCaPem("MicAi parse test CA"));
        try
        {
            var o = ConnectionStrings.ToRedis($"rediss://micai:p@h:6380/0?ssl_ca_certs={Uri.EscapeDataString(ca)}");
            Assert.True(o.Ssl);
            Assert.Equal(("micai", "p", 0), (o.User, o.Password, o.DefaultDatabase)); // the handshake itself: RedisTlsTests
        }
        finally { File.Delete(ca); }
    }

    [Theory]
    [InlineData("rediss://u:p@h:6380/0?ssl_cert_reqs=none", "unknown query parameter 'ssl_cert_reqs'")]
    [InlineData("redis://u:p@h:6379/0?ssl_ca_certs=/etc/hostname", "ssl_ca_certs needs a rediss:// (TLS) URL")]
    [InlineData("rediss://u:p@h:6380/0?ssl_ca_certs=/nonexistent/ca.crt", "ssl_ca_certs names no readable file: '/nonexistent/ca.crt'")]
    [InlineData("rediss://u:p@h:6380/0?ssl_ca_certs=/etc/hostname", "ssl_ca_certs is not a PEM or DER certificate: '/etc/hostname'")]
    public void ToRedis_RefusesAQueryItCannotHonour_SayingWhy(string url, string reason)
    {
        Assert.Contains(reason, Assert.Throws<ConnectionSettingException>(() => ConnectionStrings.ToRedis(url)).Message);
        var problem = Assert.Single(Assert.Throws<InvalidSettingsException>(() =>
            MicAiSettings.Load(k => k == QueueSettings.Keys.RedisUrl ? url : null, new SecretSource(Path.GetTempPath()))).Problems);
        Assert.StartsWith($"{QueueSettings.Keys.RedisUrl} is not usable: {reason}", problem);
        Assert.DoesNotContain(":p@", problem); // the password never shows
    }

    private static string Endpoint(ConfigurationOptions o) => EndPointCollection.ToString(Assert.Single(o.EndPoints));
}
