using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Npgsql;

namespace MicAi.Tests.Configuration;

public sealed class MicAiSettingsTests : IDisposable
{
    private readonly TempSecrets env = new();

    public void Dispose() => env.Dispose();

    [Fact]
    public void Load_UsesDocumentedDefaults_WhenNothingIsSet()
    {
        var s = env.Load();

        Assert.Equal(AppEnvironment.Dev, s.App.Environment);
        Assert.False(s.App.IsProd);
        Assert.Equal(8000, s.Hosting.Port);
        Assert.False(s.Outbound.ReplyEnabled);
        Assert.True(s.Agents.RequireInvokePrefix);
        Assert.Equal(["michael:", "@michael", "/ask"], s.Agents.InvokePrefixes);
        Assert.Equal(24, s.Outbound.FreeformWindowHours);
        Assert.Equal(5, s.Queue.MaxAttempts);
        Assert.Equal(1024 * 1024, s.Inbox.WebhookMaxBodyBytes);
        Assert.Equal("micai", s.Queue.KeyPrefix);
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

        Assert.Equal("dev-admin-key", s.Admin.ApiKey);
        Assert.Equal("dev-verify-token", s.WhatsApp.VerifyToken);
        Assert.Equal("dev-access-token", s.WhatsApp.AccessToken);
        Assert.Equal("dev-phone-number-id", s.WhatsApp.PhoneNumberId);
        Assert.Null(s.WhatsApp.AppSecret);
        var db = new NpgsqlConnectionStringBuilder(s.Storage.ConnectionString);
        Assert.Equal(("127.0.0.1", 5432, "micai"), (db.Host, db.Port, db.Database));
        Assert.Equal("127.0.0.1:6379", ConnectionStrings.DescribeRedis(s.Queue.RedisOptions));
    }

    [Fact]
    public void Load_ReadsEveryBehaviourVariable()
    {
        env.Variables[AppSettings.Keys.AppEnv] = "Test";
        env.Variables[HostingSettings.Keys.Port] = "8080";
        env.Variables[OutboundSettings.Keys.ReplyEnabled] = "yes";
        env.Variables[AgentSettings.Keys.RequireInvokePrefix] = "0";
        env.Variables[AgentSettings.Keys.InvokePrefixes] = " bot: , !ask ,,";
        env.Variables[OutboundSettings.Keys.FreeformWindowHours] = "12";
        env.Variables[QueueSettings.Keys.MaxAttempts] = "3";
        env.Variables[WorkerSettings.Keys.Concurrency] = "4";
        env.Variables[InboxSettings.Keys.WebhookMaxBodyBytes] = "2048";
        env.Variables[QueueSettings.Keys.RedisKeyPrefix] = "tenant1";
        env.Variables[WhatsAppSettings.Keys.GraphBaseUrl] = "http://127.0.0.1:9999";
        env.Variables[WhatsAppSettings.Keys.GraphVersion] = "v25.0";
        env.Variables[WhatsAppSettings.Keys.ReplyThreading] = "off";
        env.Variables[WhatsAppSettings.Keys.MarkAsRead] = "FALSE";

        var s = env.Load();

        Assert.Equal(AppEnvironment.Test, s.App.Environment);
        Assert.Equal(8080, s.Hosting.Port);
        Assert.True(s.Outbound.ReplyEnabled);
        Assert.False(s.Agents.RequireInvokePrefix);
        Assert.Equal(["bot:", "!ask"], s.Agents.InvokePrefixes);
        Assert.Equal(12, s.Outbound.FreeformWindowHours);
        Assert.Equal(3, s.Queue.MaxAttempts);
        Assert.Equal(4, s.Worker.Concurrency);
        Assert.Equal(2048, s.Inbox.WebhookMaxBodyBytes);
        Assert.Equal("tenant1", s.Queue.KeyPrefix);
        Assert.False(s.WhatsApp.ReplyThreading);
        Assert.False(s.WhatsApp.MarkAsRead);
        // A base URL without a trailing slash still keeps its path when the version is appended.
        Assert.Equal(new Uri("http://127.0.0.1:9999/v25.0/42/messages"), s.WhatsApp.MessagesUri("42"));
    }

    [Fact]
    public void Load_KeepsGraphBasePath_WhenBaseUrlHasOne()
    {
        env.Variables[WhatsAppSettings.Keys.GraphBaseUrl] = "http://127.0.0.1:9999/graph";
        Assert.Equal(new Uri("http://127.0.0.1:9999/graph/v24.0/42/messages"), env.Load().WhatsApp.MessagesUri("42"));
    }

    [Theory]
    [InlineData(HostingSettings.Keys.Port, "eighty")]
    [InlineData(HostingSettings.Keys.Port, "0")]
    [InlineData(QueueSettings.Keys.MaxAttempts, "-1")]
    [InlineData(OutboundSettings.Keys.FreeformWindowHours, "1.5")]
    [InlineData(WorkerSettings.Keys.Concurrency, "99999999999")]
    [InlineData(InboxSettings.Keys.WebhookMaxBodyBytes, "10")]
    [InlineData(OutboundSettings.Keys.ReplyEnabled, "maybe")]
    [InlineData(AgentSettings.Keys.RequireInvokePrefix, "2")]
    [InlineData(WhatsAppSettings.Keys.MarkAsRead, "enabled")]
    [InlineData(AppSettings.Keys.AppEnv, "production")]
    [InlineData(AppSettings.Keys.AppEnv, "5")]
    [InlineData(WhatsAppSettings.Keys.GraphBaseUrl, "graph.facebook.com")]
    [InlineData(WhatsAppSettings.Keys.GraphBaseUrl, "ftp://graph.facebook.com")]
    [InlineData(AgentSettings.Keys.InvokePrefixes, ",")]
    [InlineData(AgentSettings.Keys.InvokePrefixes, " , ,")]
    [InlineData(StorageSettings.Keys.DatabaseUrl, "Host=h;NoSuchKeyword=1")]
    [InlineData(StorageSettings.Keys.DatabaseUrl, "postgresql://u:p@h:notaport/db")]
    [InlineData(QueueSettings.Keys.RedisUrl, "redis://h:notaport")]
    [InlineData(QueueSettings.Keys.RedisKeyPrefix, "{micai}")]
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
        foreach (var key in new[] { WhatsAppSettings.Keys.GraphVersion, QueueSettings.Keys.RedisKeyPrefix, AgentSettings.Keys.InvokePrefixes, WhatsAppSettings.Keys.GraphBaseUrl, HostingSettings.Keys.Port, OutboundSettings.Keys.ReplyEnabled, AppSettings.Keys.AppEnv })
            env.Variables[key] = blank;

        var s = env.Load();

        Assert.Equal("v24.0", s.WhatsApp.GraphVersion);
        Assert.Equal("micai", s.Queue.KeyPrefix);
        Assert.Equal(["michael:", "@michael", "/ask"], s.Agents.InvokePrefixes);
        Assert.Equal(new Uri("https://graph.facebook.com/"), s.WhatsApp.GraphBaseUrl);
        Assert.Equal(8000, s.Hosting.Port);
        Assert.Equal(AppEnvironment.Dev, s.App.Environment);
    }

    [Fact]
    public void Load_NeverEchoesAnInvalidConnectionString_WhichMayHoldAPassword()
    {
        env.Variables[StorageSettings.Keys.DatabaseUrl] = "Host=h;Password=hunter2;NoSuchKeyword=1";
        var ex = Assert.Throws<InvalidSettingsException>(env.Load);
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public void Load_ReportsEveryInvalidValue_InOneException()
    {
        env.Variables[HostingSettings.Keys.Port] = "x";
        env.Variables[QueueSettings.Keys.MaxAttempts] = "y";
        env.Variables[WhatsAppSettings.Keys.MarkAsRead] = "z";

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains(HostingSettings.Keys.Port, ex.Message);
        Assert.Contains(QueueSettings.Keys.MaxAttempts, ex.Message);
        Assert.Contains(WhatsAppSettings.Keys.MarkAsRead, ex.Message);
    }

    [Fact]
    public void ToString_NeverContainsSecrets()
    {
        env.Variables[AdminSettings.Keys.ApiKey] = "admin-key-SECRET-1";
        env.Variables[WhatsAppSettings.Keys.AccessToken] = "access-token-SECRET-2";
        env.Variables[WhatsAppSettings.Keys.AppSecret] = "app-secret-SECRET-3";
        env.Variables[WhatsAppSettings.Keys.VerifyToken] = "verify-token-SECRET-4";
        env.Variables[StorageSettings.Keys.DatabaseUrl] = "postgresql://u:db-password-SECRET-5@h/db";
        env.Variables[QueueSettings.Keys.RedisUrl] = "redis://:redis-password-SECRET-6@h:6379";

        var s = env.Load();
        var texts = new[] { s.ToString(), s.WhatsApp.ToString(), $"{s}", $"{s.WhatsApp}" };

        foreach (var text in texts)
            Assert.DoesNotContain("SECRET", text);
        Assert.Contains("MicAiSettings", s.ToString());
    }
}
