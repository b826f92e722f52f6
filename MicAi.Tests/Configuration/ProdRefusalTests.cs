using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.Configuration;

public sealed class ProdRefusalTests : IDisposable
{
    private readonly TempSecrets env = new();

    public ProdRefusalTests() => env.Variables[AppSettings.Keys.AppEnv] = "prod";

    public void Dispose() => env.Dispose();

    /// <summary>A configuration that a real deployment could have.</summary>
    public static Dictionary<string, string> CompleteProd() => new()
    {
        [AppSettings.Keys.AppEnv] = "prod",
        [StorageSettings.Keys.DatabaseUrl] = "postgresql://micai_app:Zx9-real-password@db.example.net:5432/micai?sslmode=require",
        [QueueSettings.Keys.RedisUrl] = "rediss://default:Qw7-real-password@cache.example.net:6380",
        [AdminSettings.Keys.ApiKey] = "adm_4f1c9e0d7b2a4c6e8f3a5b7d9e1f2a3b",
        [WhatsAppSettings.Keys.VerifyToken] = "vt_9e8d7c6b5a4f3e2d",
        [WhatsAppSettings.Keys.AccessToken] = "EAAGm0PX4ZCpsBAKZAexampleRealLookingToken",
        [WhatsAppSettings.Keys.PhoneNumberId] = "106540352242922",
        [WhatsAppSettings.Keys.AppSecret] = "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    };

    [Fact]
    public void Load_ListsEveryRequiredVariable_InOneException_WhenNothingIsSet()
    {
        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Equal(SettingsCatalog.RequiredInProd.Count, ex.Problems.Count);
        foreach (var key in SettingsCatalog.RequiredInProd)
            Assert.Contains(ex.Problems, p => p.StartsWith(key + " ", StringComparison.Ordinal) && p.Contains("missing"));
        Assert.Contains("prod", ex.Message);
    }

    [Fact]
    public void RequiredInProd_ListsTheDocumentedVariables() =>
        Assert.Equal(
            new[] { StorageSettings.Keys.DatabaseUrl, QueueSettings.Keys.RedisUrl, AdminSettings.Keys.ApiKey, WhatsAppSettings.Keys.VerifyToken, WhatsAppSettings.Keys.AccessToken, WhatsAppSettings.Keys.PhoneNumberId, WhatsAppSettings.Keys.AppSecret }.Order(),
            SettingsCatalog.RequiredInProd.Order());

    [Fact]
    public void Load_Succeeds_WithACompleteProdConfiguration()
    {
        foreach (var (k, v) in CompleteProd()) env.Variables[k] = v;

        var s = env.Load();

        Assert.True(s.App.IsProd);
        Assert.Equal("adm_4f1c9e0d7b2a4c6e8f3a5b7d9e1f2a3b", s.Admin.ApiKey);
        Assert.Equal("0f1e2d3c4b5a69788796a5b4c3d2e1f0", s.WhatsApp.AppSecret);
        Assert.True(s.Queue.RedisOptions.Ssl);
        Assert.Contains("db.example.net", s.Storage.ConnectionString);
    }

    [Fact]
    public void Load_Succeeds_InProd_WithEverySecretFromSecretsFolder()
    {
        foreach (var (k, v) in CompleteProd())
        {
            if (k == AppSettings.Keys.AppEnv) continue;
            env.WriteSecret(SecretSource.SecretFileName(k), v + "\n");
        }
        Assert.Equal("106540352242922", env.Load().WhatsApp.PhoneNumberId);
    }

    [Fact]
    public void Load_RefusesEveryDevDefault_InProd()
    {
        foreach (var (k, v) in CompleteProd()) env.Variables[k] = v;
        foreach (var (k, v) in SettingsCatalog.DevDefaults) env.Variables[k] = v;

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Equal(SettingsCatalog.DevDefaults.Count, ex.Problems.Count);
        foreach (var key in SettingsCatalog.DevDefaults.Keys)
            Assert.Contains(ex.Problems, p => p.StartsWith(key + " ", StringComparison.Ordinal) && p.Contains("development default"));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public void Load_RefusesChangeMePlaceholder_InProd(string key)
    {
        foreach (var (k, v) in CompleteProd()) env.Variables[k] = v;
        env.Variables[key] = "change-me-x";

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        var problem = Assert.Single(ex.Problems);
        Assert.StartsWith(key + " ", problem);
        Assert.Contains("change-me", problem);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public void Load_RefusesEmptyOrBlankValue_InProd(string key)
    {
        foreach (var (k, v) in CompleteProd()) env.Variables[k] = v;
        env.Variables[key] = "   ";

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.StartsWith(key + " ", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Load_RefusesProd_WhenTheAppSecretFileIsEmpty()
    {
        foreach (var (k, v) in CompleteProd()) env.Variables[k] = v;
        env.Variables.Remove(WhatsAppSettings.Keys.AppSecret);
        env.WriteSecret("whatsapp_app_secret", "");

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Contains(WhatsAppSettings.Keys.AppSecret, Assert.Single(ex.Problems));
    }

    [Fact]
    public void Load_AllowsDevDefaultsAndPlaceholders_OutsideProd()
    {
        env.Variables[AppSettings.Keys.AppEnv] = "test";
        env.Variables[AdminSettings.Keys.ApiKey] = "change-me-admin";
        Assert.Equal("change-me-admin", env.Load().Admin.ApiKey);
    }

    public static TheoryData<string> Required() => new(SettingsCatalog.RequiredInProd);
}
