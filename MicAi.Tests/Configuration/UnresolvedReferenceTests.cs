using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Configuration;

/// <summary>
/// A setting that still reads @Microsoft.KeyVault(...) is a reference the platform has not resolved yet: reported by
/// name, never by value, and told apart from a genuinely missing value so a process waits for it instead of exiting.
/// </summary>
public sealed class UnresolvedReferenceTests : IDisposable
{
    private const string Reference = "@Microsoft.KeyVault(SecretUri=https://kv-micai-secret.vault.azure.net/secrets/admin-api-key/)";
    private readonly TempSecrets env = new();

    public UnresolvedReferenceTests()
    {
        foreach (var (k, v) in ProdRefusalTests.CompleteProd()) env.Variables[k] = v;
    }

    public void Dispose() => env.Dispose();

    [Fact]
    public void Load_ReportsAnUnresolvedReference_ByNameOnly_AsTheOnlyProblem()
    {
        env.Variables[AdminSettings.Keys.ApiKey] = Reference;
        env.Variables[QueueSettings.Keys.RedisUrl] = "  " + Reference.ToLowerInvariant();

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.True(ex.OnlyUnresolvedReferences);
        Assert.Equal([AdminSettings.Keys.ApiKey, QueueSettings.Keys.RedisUrl], ex.Unresolved.Order());
        Assert.DoesNotContain("vault.azure.net", ex.Message);
        Assert.DoesNotContain("is missing", ex.Message); // not also reported as a missing value
    }

    [Fact]
    public void Load_KeepsRefusingGenuinelyMissingValues_NextToUnresolvedOnes()
    {
        env.Variables[AdminSettings.Keys.ApiKey] = Reference;
        env.Variables.Remove(WhatsAppSettings.Keys.AccessToken);

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.False(ex.OnlyUnresolvedReferences);
        Assert.Contains(ex.Problems, p => p == $"{WhatsAppSettings.Keys.AccessToken} is missing");
        Assert.Equal([AdminSettings.Keys.ApiKey], ex.Unresolved);
    }

    [Fact]
    public void Load_ReportsAReferenceInASecretFile_UnderTheSettingsName()
    {
        env.Variables.Remove(WhatsAppSettings.Keys.AppSecret);
        env.Variables[WhatsAppSettings.Keys.AppSecret + "_FILE"] = env.WriteFile(Reference + "\n");

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.True(ex.OnlyUnresolvedReferences);
        Assert.Equal([WhatsAppSettings.Keys.AppSecret], ex.Unresolved);
    }

    [Fact]
    public void Load_ReportsUnresolvedPlainSettingsToo()
    {
        env.Variables[OutboundSettings.Keys.ReplyEnabled] = Reference;

        Assert.Equal([OutboundSettings.Keys.ReplyEnabled], Assert.Throws<InvalidSettingsException>(env.Load).Unresolved);
    }

    [Fact]
    public async Task HostWorker_WaitsForAnUnresolvedReference_AndStartsOnceItsFileResolves()
    {
        var database = await TestServers.CreateDatabaseAsync();
        var keyFile = env.WriteFile(Reference);
        await using var worker = HostProcess.Start(["worker"], new Dictionary<string, string?>
        {
            [StorageSettings.Keys.DatabaseUrl] = database,
            [QueueSettings.Keys.RedisUrl] = TestServers.RedisUrl,
            [QueueSettings.Keys.RedisKeyPrefix] = TestServers.NewRedisPrefix(),
            [AdminSettings.Keys.ApiKey + "_FILE"] = keyFile,
            [AppSettings.Keys.SettingsRecheckSeconds] = "1",
        });

        await worker.WaitForOutputAsync($"MicAi is waiting: settings not resolved yet: {AdminSettings.Keys.ApiKey}", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("vault.azure.net", worker.Output);
        await File.WriteAllTextAsync(keyFile, "adm_resolved_0123456789abcdef");
        await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task HostWorker_WaitingForSettings_ExitsZeroOnSigterm()
    {
        await using var worker = HostProcess.Start(["worker"], new Dictionary<string, string?> { [AdminSettings.Keys.ApiKey] = Reference });

        await worker.WaitForOutputAsync("MicAi is waiting", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain("Application started", worker.Output);
    }
}
