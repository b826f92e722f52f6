using System.Net;
using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Functions;

/// <summary>
/// A worker that cannot serve yet stays up and says why, instead of exiting (which the Functions host answers by
/// starting it again and again): Key Vault references the platform has not resolved, or migrations at start that
/// wait for Postgres.
/// </summary>
public sealed class FunctionsStartupGateTests : IAsyncLifetime
{
    private const string Reference = "@Microsoft.KeyVault(SecretUri=https://kv-micai-secret.vault.azure.net/secrets/admin-api-key/)";
    private readonly string secrets = Directory.CreateTempSubdirectory("micai-gate-").FullName;
    private readonly List<FunctionsTestHost> hosts = [];

    private static string AppDirectory => Path.GetFullPath(TestServers.Required("MICAI_TEST_FUNCTIONS_DIR"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in hosts) await host.DisposeAsync();
        Directory.Delete(secrets, recursive: true);
    }

    private async Task<FunctionsTestHost> StartAsync(Dictionary<string, string> settings)
    {
        var host = await FunctionsTestHost.StartAsync(AppDirectory, settings, CancellationToken.None);
        hosts.Add(host);
        return host;
    }

    private async Task<Dictionary<string, string>> ProdSettingsAsync() =>
        ProdWorkerFixture.ProdSettings(await TestServers.CreateDatabaseAsync(), "http://127.0.0.1:9/", secrets);

    private static async Task<(HttpStatusCode Status, string Body)> HealthAsync(FunctionsTestHost host)
    {
        var (response, _) = await host.InvokeHttpAsync("Health", new HttpRequestMessage(HttpMethod.Get, "/health"), CancellationToken.None);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Worker_StaysUp_NamingUnresolvedKeyVaultReferences_AndTimersDoNothing()
    {
        var settings = await ProdSettingsAsync();
        settings.Remove(AdminSettings.Keys.ApiKey + "_FILE");
        settings.Remove(WhatsAppSettings.Keys.AppSecret + "_FILE");
        settings[AdminSettings.Keys.ApiKey] = Reference;
        settings[WhatsAppSettings.Keys.AppSecret] = Reference.Replace("admin-api-key", "app-secret", StringComparison.Ordinal);
        var host = await StartAsync(settings);

        var (status, body) = await HealthAsync(host);
        var poll = await host.InvokeTimerAsync("WorkerPoll", CancellationToken.None);
        var (admin, _) = await host.InvokeHttpAsync("Admin", new HttpRequestMessage(HttpMethod.Get, "/manage/stats"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains(AdminSettings.Keys.ApiKey, body);
        Assert.Contains(WhatsAppSettings.Keys.AppSecret, body);
        Assert.DoesNotContain("vault.azure.net", body); // names only, never the value
        Assert.True(poll.Succeeded, host.Diagnostics());
        Assert.Single(poll.Logs, l => l.StartsWith("WorkerPoll did nothing: settings not resolved yet", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, admin.StatusCode);
        Assert.False(host.WorkerExited);
    }

    [Fact]
    public async Task Worker_StopsItselfToStartAfresh_WhenTheUnresolvedSecretFileResolves()
    {
        var settings = await ProdSettingsAsync();
        var keyFile = settings[AdminSettings.Keys.ApiKey + "_FILE"];
        await File.WriteAllTextAsync(keyFile, Reference);
        settings[AppSettings.Keys.SettingsRecheckSeconds] = "1";
        var host = await StartAsync(settings);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await HealthAsync(host)).Status);

        await File.WriteAllTextAsync(keyFile, ProdWorkerFixture.ProdAdminKey);

        Assert.True(await host.WaitForWorkerExitAsync(TimeSpan.FromSeconds(30)), $"the worker kept running with stale settings\n{host.Diagnostics()}");
        Assert.Contains("The settings have changed since start", host.Diagnostics());
    }

    [Fact]
    public async Task Worker_WithMigrateOnStart_Answers503_UntilPostgresComesUp_ThenServes()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await pg.StopServerAsync();
        var settings = ProdWorkerFixture.ProdSettings(pg.Url, "http://127.0.0.1:9/", secrets);
        settings[HostingSettings.Keys.MigrateOnStart] = "true";
        var host = await StartAsync(settings);

        var (waiting, body) = await HealthAsync(host);
        var poll = await host.InvokeTimerAsync("Scheduler", CancellationToken.None);
        await pg.StartServerAsync();
        var until = DateTime.UtcNow.AddSeconds(60);
        var ready = waiting;
        while (ready != HttpStatusCode.OK && DateTime.UtcNow < until)
        {
            await Task.Delay(500);
            ready = (await HealthAsync(host)).Status;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting);
        Assert.Contains("MICAI_MIGRATE_ON_START", body);
        Assert.True(poll.Succeeded, host.Diagnostics());
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Contains("Postgres cannot be reached", host.Diagnostics());
        Assert.False(host.WorkerExited);
    }
}
