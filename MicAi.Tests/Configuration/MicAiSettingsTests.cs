using MicAi.Core.Configuration;
using Npgsql;
using K = MicAi.Core.Configuration.MicAiSettings.Keys;

namespace MicAi.Tests.Configuration;

public sealed class MicAiSettingsTests : IDisposable
{
    private readonly TempSecrets env = new();

    public void Dispose() => env.Dispose();

    [Fact]
    public void Load_UsesDocumentedDefaults_WhenNothingIsSet()
    {
        var s = env.Load();

        Assert.Equal(AppEnvironment.Dev, s.Environment);
        Assert.False(s.IsProd);
        Assert.Equal(8000, s.Port);
        Assert.False(s.OutboundReplyEnabled);
        Assert.True(s.RequireInvokePrefix);
        Assert.Equal(["michael:", "@michael", "/ask"], s.InvokePrefixes);
        Assert.Equal(24, s.FreeformWindowHours);
        Assert.Equal(5, s.QueueMaxAttempts);
        Assert.Equal(1024 * 1024, s.WebhookMaxBodyBytes);
        Assert.Equal("micai", s.RedisKeyPrefix);
        Assert.Equal(new Uri("https://graph.facebook.com/"), s.WhatsApp.GraphBaseUrl);
        Assert.Equal("v24.0", s.WhatsApp.GraphVersion);
        Assert.True(s.WhatsApp.ReplyThreading);
        Assert.True(s.WhatsApp.MarkAsRead);
        Assert.Equal(new Uri("https://graph.facebook.com/v24.0/123456/messages"), s.WhatsApp.MessagesUri("123456"));
    }

    [Fact]
    public void Load_UsesDevDefaultSecrets_AndNoAppSecret_InDev()
    {
        var s = env.Load();

        Assert.Equal("dev-admin-key", s.AdminApiKey);
        Assert.Equal("dev-verify-token", s.WhatsApp.VerifyToken);
        Assert.Equal("dev-access-token", s.WhatsApp.AccessToken);
        Assert.Equal("dev-phone-number-id", s.WhatsApp.PhoneNumberId);
        Assert.Null(s.WhatsApp.AppSecret);
        var db = new NpgsqlConnectionStringBuilder(s.PostgresConnectionString);
        Assert.Equal(("127.0.0.1", 5432, "micai"), (db.Host, db.Port, db.Database));
        Assert.Equal("127.0.0.1:6379", ConnectionStrings.DescribeRedis(s.RedisOptions));
    }

    [Fact]
    public void Load_ReadsEveryBehaviourVariable()
    {
        env.Variables[K.AppEnv] = "Test";
        env.Variables[K.Port] = "8080";
        env.Variables[K.OutboundReplyEnabled] = "yes";
        env.Variables[K.RequireInvokePrefix] = "0";
        env.Variables[K.InvokePrefixes] = " bot: , !ask ,,";
        env.Variables[K.FreeformWindowHours] = "12";
        env.Variables[K.QueueMaxAttempts] = "3";
        env.Variables[K.WorkerConcurrency] = "4";
        env.Variables[K.WebhookMaxBodyBytes] = "2048";
        env.Variables[K.RedisKeyPrefix] = "tenant1";
        env.Variables[K.GraphBaseUrl] = "http://127.0.0.1:9999";
        env.Variables[K.GraphVersion] = "v25.0";
        env.Variables[K.ReplyThreading] = "off";
        env.Variables[K.MarkAsRead] = "FALSE";

        var s = env.Load();

        Assert.Equal(AppEnvironment.Test, s.Environment);
        Assert.Equal(8080, s.Port);
        Assert.True(s.OutboundReplyEnabled);
        Assert.False(s.RequireInvokePrefix);
        Assert.Equal(["bot:", "!ask"], s.InvokePrefixes);
        Assert.Equal(12, s.FreeformWindowHours);
        Assert.Equal(3, s.QueueMaxAttempts);
        Assert.Equal(4, s.WorkerConcurrency);
        Assert.Equal(2048, s.WebhookMaxBodyBytes);
        Assert.Equal("tenant1", s.RedisKeyPrefix);
        Assert.False(s.WhatsApp.ReplyThreading);
        Assert.False(s.WhatsApp.MarkAsRead);
        // A base URL without a trailing slash still keeps its path when the version is appended.
        Assert.Equal(new Uri("http://127.0.0.1:9999/v25.0/42/messages"), s.WhatsApp.MessagesUri("42"));
    }

    [Fact]
    public void Load_KeepsGraphBasePath_WhenBaseUrlHasOne()
    {
        env.Variables[K.GraphBaseUrl] = "http://127.0.0.1:9999/graph";
        Assert.Equal(new Uri("http://127.0.0.1:9999/graph/v24.0/42/messages"), env.Load().WhatsApp.MessagesUri("42"));
    }

    [Theory]
    [InlineData(K.Port, "eighty")]
    [InlineData(K.Port, "0")]
    [InlineData(K.QueueMaxAttempts, "-1")]
    [InlineData(K.FreeformWindowHours, "1.5")]
    [InlineData(K.WorkerConcurrency, "99999999999")]
    [InlineData(K.WebhookMaxBodyBytes, "10")]
    [InlineData(K.OutboundReplyEnabled, "maybe")]
    [InlineData(K.RequireInvokePrefix, "2")]
    [InlineData(K.MarkAsRead, "enabled")]
    [InlineData(K.AppEnv, "production")]
    [InlineData(K.AppEnv, "5")]
    [InlineData(K.GraphBaseUrl, "graph.facebook.com")]
    [InlineData(K.GraphBaseUrl, "ftp://graph.facebook.com")]
    [InlineData(K.InvokePrefixes, ",")]
    [InlineData(K.InvokePrefixes, " , ,")]
    [InlineData(K.DatabaseUrl, "Host=h;NoSuchKeyword=1")]
    [InlineData(K.DatabaseUrl, "postgresql://u:p@h:notaport/db")]
    [InlineData(K.RedisUrl, "redis://h:notaport")]
    [InlineData(K.RedisKeyPrefix, "{micai}")]
    public void Load_ReportsInvalidValue_NamingTheVariableAndValue(string key, string value)
    {
        env.Variables[key] = value;
        var ex = Assert.Throws<InvalidSettingsException>(env.Load);
        var problem = Assert.Single(ex.Problems);
        Assert.StartsWith(key + " ", problem);
        Assert.Contains(key, ex.Message);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\t\n")]
    public void Load_TreatsBlankValuesAsUnset(string blank)
    {
        foreach (var key in new[] { K.GraphVersion, K.RedisKeyPrefix, K.InvokePrefixes, K.GraphBaseUrl, K.Port, K.OutboundReplyEnabled, K.AppEnv })
            env.Variables[key] = blank;

        var s = env.Load();

        Assert.Equal("v24.0", s.WhatsApp.GraphVersion);
        Assert.Equal("micai", s.RedisKeyPrefix);
        Assert.Equal(["michael:", "@michael", "/ask"], s.InvokePrefixes);
        Assert.Equal(new Uri("https://graph.facebook.com/"), s.WhatsApp.GraphBaseUrl);
        Assert.Equal(8000, s.Port);
        Assert.Equal(AppEnvironment.Dev, s.Environment);
    }

    [Fact]
    public void Load_NeverEchoesAnInvalidConnectionString_WhichMayHoldAPassword()
    {
        env.Variables[K.DatabaseUrl] = "Host=h;Password=hunter2;NoSuchKeyword=1";
        var ex = Assert.Throws<InvalidSettingsException>(env.Load);
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public void Load_ReportsEveryInvalidValue_InOneException()
    {
        env.Variables[K.Port] = "x";
        env.Variables[K.QueueMaxAttempts] = "y";
        env.Variables[K.MarkAsRead] = "z";

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains(K.Port, ex.Message);
        Assert.Contains(K.QueueMaxAttempts, ex.Message);
        Assert.Contains(K.MarkAsRead, ex.Message);
    }

    [Fact]
    public void ToString_NeverContainsSecrets()
    {
        env.Variables[K.AdminApiKey] = "admin-key-SECRET-1";
        env.Variables[K.AccessToken] = "access-token-SECRET-2";
        env.Variables[K.AppSecret] = "app-secret-SECRET-3";
        env.Variables[K.VerifyToken] = "verify-token-SECRET-4";
        env.Variables[K.DatabaseUrl] = "postgresql://u:db-password-SECRET-5@h/db";
        env.Variables[K.RedisUrl] = "redis://:redis-password-SECRET-6@h:6379";

        var s = env.Load();
        var texts = new[] { s.ToString(), s.WhatsApp.ToString(), $"{s}", $"{s.WhatsApp}" };

        foreach (var text in texts)
            Assert.DoesNotContain("SECRET", text);
        Assert.Contains("MicAiSettings", s.ToString());
    }
}
