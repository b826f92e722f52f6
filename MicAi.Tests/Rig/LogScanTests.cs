using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using MicAi.Core.Configuration;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Rig;

/// <summary>The rehearsal's log scan finds what it must, and never repeats a secret in what it reports.</summary>
public sealed class LogScanTests
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        [StorageSettings.Keys.DatabaseUrl] = "postgresql://postgres:s3cr%2Ft-pw@127.0.0.1:6432/micai?sslmode=verify-full",
        [AdminSettings.Keys.ApiKey] = "adm_0123456789abcdef",
        [WhatsAppSettings.Keys.PhoneNumberId] = "106540352242922",
    };

    [Fact]
    public void Findings_NameTheSettingAndLine_WhenAValueOrAUrlsPasswordAloneIsLogged_WithoutRepeatingEither()
    {
        var output = "started\nkey was adm_0123456789abcdef\nHost=127.0.0.1;Password=s3cr/t-pw;Database=micai";

        var findings = LogScan.Findings([("api", output)], Secrets);

        Assert.Equal(["api line 2: the value of MICAI_ADMIN_API_KEY: key was <MICAI_ADMIN_API_KEY>",
            "api line 3: the value of MICAI_DATABASE_URL password: Host=127.0.0.1;Password=<MICAI_DATABASE_URL password>;Database=micai"], findings);
    }

    [Theory]
    [InlineData("Npgsql.PostgresException (0x80004005): 42P05: prepared statement \"_auto0\" already exists")]
    [InlineData("StackExchange.Redis.RedisServerException: CROSSSLOT Keys in request don't hash to the same slot")]
    [InlineData("StackExchange.Redis.RedisConnectionException: WRONGPASS invalid username-password pair")]
    public void Findings_ReportAPostgresOrRedisError(string line)
    {
        Assert.Equal([$"worker line 2: {line}"], LogScan.Findings([("worker", "ok\n" + line)], Secrets));
    }

    [Fact]
    public void Findings_AreEmpty_ForCleanOutput_AndThePhoneNumberIdInAGraphUrl()
    {
        var output = "Start processing HTTP request POST https://graph.facebook.com/v24.0/106540352242922/messages\nMigrations applied: 0 new script(s)";

        Assert.Empty(LogScan.Findings([("worker", output)], Secrets));
    }
}
