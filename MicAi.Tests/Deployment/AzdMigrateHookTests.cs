using MicAi.Tests.Functions;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Deployment;

/// <summary>
/// bin/azd-migrate, azure.yaml's predeploy hook: migrations are a deploy step on Functions, run once per deploy,
/// and a failure stops azd before new code is published.
/// </summary>
public sealed class AzdMigrateHookTests
{
    [Fact]
    public async Task Hook_MigratesTheProvisionedDatabase_FromTheAzdValues_WithAPasswordNeedingEscapes()
    {
        var database = await TestServers.CreateDatabaseAsync();

        var (exit, output) = await AzdMigrateHook.RunAsync(database, new Dictionary<string, string>
        {
            // azd passes the whole environment to hooks; none of the app's values may leak into the migrate role.
            ["MICAI_APP_ENV"] = "prod",
            ["MICAI_DATABASE_URL"] = "postgresql://wrong:wrong@127.0.0.1:1/wrong",
        });

        Assert.True(exit == 0, output);
        await using var db = NpgsqlDataSource.Create(Core.Configuration.ConnectionStrings.ToNpgsql(database));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM schemaversions") > 0);
    }

    [Fact]
    public async Task Hook_FailsAtOnce_WhenPostgresCannotBeReached()
    {
        var (exit, output) = await AzdMigrateHook.RunAsync($"postgresql://postgres:p%40ss%3Bw0rd@127.0.0.1:{HostProcess.FreePort()}/micai");

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("p@ss;w0rd", output); // the password is never printed
    }

    [Fact]
    public async Task Hook_DoesNothing_WhenTheInstancesMigrateAtStart()
    {
        var (exit, output) = await AzdMigrateHook.RunAsync($"postgresql://postgres@127.0.0.1:{HostProcess.FreePort()}/micai",
            new Dictionary<string, string> { ["MICAI_MIGRATE_ON_START"] = "true" });

        Assert.True(exit == 0, output);
        Assert.Contains("nothing to do", output);
    }

    [Fact]
    public void AzureYaml_RunsTheHookBeforeEveryDeploy_AndStopsOnItsFailure()
    {
        var yaml = File.ReadAllText(RepoPaths.Of("azure.yaml"));

        Assert.Matches(@"hooks:\n  predeploy:\n    posix:\n      shell: sh\n      run: bash \./bin/azd-migrate\n      continueOnError: false\n", yaml.ReplaceLineEndings("\n"));
    }
}
