using MicAi.Core.Configuration;
using MicAi.Tests.Infrastructure;
using K = MicAi.Core.Configuration.MicAiSettings.Keys;

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
        env.Variables[K.AdminApiKey] = Reference;
        env.Variables[K.RedisUrl] = "  " + Reference.ToLowerInvariant();

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.True(ex.OnlyUnresolvedReferences);
        Assert.Equal([K.AdminApiKey, K.RedisUrl], ex.Unresolved.Order());
        Assert.DoesNotContain("vault.azure.net", ex.Message);
        Assert.DoesNotContain("is missing", ex.Message); // not also reported as a missing value
    }

    [Fact]
    public void Load_KeepsRefusingGenuinelyMissingValues_NextToUnresolvedOnes()
    {
        env.Variables[K.AdminApiKey] = Reference;
        env.Variables.Remove(K.AccessToken);

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.False(ex.OnlyUnresolvedReferences);
        Assert.Contains(ex.Problems, p => p == $"{K.AccessToken} is missing");
        Assert.Equal([K.AdminApiKey], ex.Unresolved);
    }

    [Fact]
    public void Load_ReportsAReferenceInASecretFile_UnderTheSettingsName()
    {
        env.Variables.Remove(K.AppSecret);
        env.Variables[K.AppSecret + "_FILE"] = env.WriteFile(Reference + "\n");

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.True(ex.OnlyUnresolvedReferences);
        Assert.Equal([K.AppSecret], ex.Unresolved);
    }

    [Fact]
    public void Load_ReportsUnresolvedPlainSettingsToo()
    {
        env.Variables[K.OutboundReplyEnabled] = Reference;

        Assert.Equal([K.OutboundReplyEnabled], Assert.Throws<InvalidSettingsException>(env.Load).Unresolved);
    }

    [Fact]
    public async Task HostWorker_WaitsForAnUnresolvedReference_AndStartsOnceItsFileResolves()
    {
        var database = await TestServers.CreateDatabaseAsync();
        var keyFile = env.WriteFile(Reference);
        await using var worker = HostProcess.Start(["worker"], new Dictionary<string, string?>
        {
            [K.DatabaseUrl] = database,
            [K.RedisUrl] = TestServers.RedisUrl,
            [K.RedisKeyPrefix] = TestServers.NewRedisPrefix(),
            [K.AdminApiKey + "_FILE"] = keyFile,
            [K.SettingsRecheckSeconds] = "1",
        });

        await worker.WaitForOutputAsync($"MicAi is waiting: settings not resolved yet: {K.AdminApiKey}", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("vault.azure.net", worker.Output);
        await File.WriteAllTextAsync(keyFile, "adm_resolved_0123456789abcdef");
        await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task HostWorker_WaitingForSettings_ExitsZeroOnSigterm()
    {
        await using var worker = HostProcess.Start(["worker"], new Dictionary<string, string?> { [K.AdminApiKey] = Reference });

        await worker.WaitForOutputAsync("MicAi is waiting", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain("Application started", worker.Output);
    }
}
