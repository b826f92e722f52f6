using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Tests.Configuration;

/// <summary>A configuration written for the Python mic.ai service loads: its URL form and the names MicAi dropped.</summary>
public sealed class PythonSettingsTests : IDisposable
{
    private readonly TempSecrets env = new();

    public void Dispose() => env.Dispose();

    [Fact]
    public void Load_AcceptsTheDroppedPythonPollTimeout_AndReportsItOnceNamingWhatReplacesIt()
    {
        env.Variables[QueueSettings.Keys.PythonPollTimeoutSeconds] = "5";

        var deprecations = env.Load().App.Deprecations;

        var line = Assert.Single(deprecations);
        Assert.StartsWith("MICAI_QUEUE_POLL_TIMEOUT_SECONDS is a Python mic.ai setting MicAi no longer reads: ", line);
        Assert.Contains("nothing replaces it", line);
    }

    [Fact]
    public void Load_AcceptsTheDroppedPythonPollTimeout_InProd()
    {
        env.Variables[AppSettings.Keys.AppEnv] = "prod";
        env.Variables[QueueSettings.Keys.PythonPollTimeoutSeconds] = "not even a number";

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.DoesNotContain(QueueSettings.Keys.PythonPollTimeoutSeconds, ex.Message); // refused for the missing secrets only
    }

    [Fact]
    public void Load_ReportsNoDeprecation_WhenNoPythonSettingIsSet()
    {
        Assert.Empty(env.Load().App.Deprecations);
    }

    [Fact]
    public void Load_TakesThePythonServicesPsycopgUrl_AsTheDatabaseUrl()
    {
        env.Variables[StorageSettings.Keys.DatabaseUrl] = "postgresql+psycopg://micai:s3cret@db.internal:5433/micai?sslmode=require";

        var b = new NpgsqlConnectionStringBuilder(env.Load().Storage.ConnectionString);

        Assert.Equal(("db.internal", 5433, "micai", "s3cret"), (b.Host, b.Port, b.Database, b.Password));
    }

    [Fact]
    public void EveryDeprecatedSetting_SaysWhatReplacesIt_AndHasNoDefault()
    {
        var deprecated = SettingsCatalog.All.Where(s => s.Declaration.Deprecated is not null).ToList();

        Assert.NotEmpty(deprecated);
        Assert.All(deprecated, s => Assert.True(s.Default is null && s.Declaration.Meaning.StartsWith("deprecated", StringComparison.Ordinal), s.Name));
    }
}
