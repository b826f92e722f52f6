using MicAi.Core.Configuration;
using K = MicAi.Core.Configuration.MicAiSettings.Keys;

namespace MicAi.Tests.Configuration;

public sealed class ProdRefusalTests : IDisposable
{
    private readonly TempSecrets env = new();

    public ProdRefusalTests() => env.Variables[K.AppEnv] = "prod";

    public void Dispose() => env.Dispose();

    /// <summary>A configuration that a real deployment could have.</summary>
    public static Dictionary<string, string> CompleteProd() => new()
    {
        [K.AppEnv] = "prod",
        [K.DatabaseUrl] = "postgresql://micai_app:Zx9-real-password@db.example.net:5432/micai?sslmode=require",
        [K.RedisUrl] = "rediss://default:Qw7-real-password@cache.example.net:6380",
        [K.AdminApiKey] = "adm_4f1c9e0d7b2a4c6e8f3a5b7d9e1f2a3b",
        [K.VerifyToken] = "vt_9e8d7c6b5a4f3e2d",
        [K.AccessToken] = "EAAGm0PX4ZCpsBAKZAexampleRealLookingToken",
        [K.PhoneNumberId] = "106540352242922",
        [K.AppSecret] = "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    };

    [Fact]
    public void Load_ListsEveryRequiredVariable_InOneException_WhenNothingIsSet()
    {
        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Equal(MicAiSettings.RequiredInProd.Count, ex.Problems.Count);
        foreach (var key in MicAiSettings.RequiredInProd)
            Assert.Contains(ex.Problems, p => p.StartsWith(key + " ", StringComparison.Ordinal) && p.Contains("missing"));
        Assert.Contains("prod", ex.Message);
    }

    [Fact]
    public void RequiredInProd_ListsTheDocumentedVariables() =>
        Assert.Equal(
            new[] { K.DatabaseUrl, K.RedisUrl, K.AdminApiKey, K.VerifyToken, K.AccessToken, K.PhoneNumberId, K.AppSecret }.Order(),
            MicAiSettings.RequiredInProd.Order());

    [Fact]
    public void Load_Succeeds_WithACompleteProdConfiguration()
    {
        foreach (var (k, v) in CompleteProd()) env.Variables[k] = v;

        var s = env.Load();

        Assert.True(s.IsProd);
        Assert.Equal("adm_4f1c9e0d7b2a4c6e8f3a5b7d9e1f2a3b", s.AdminApiKey);
        Assert.Equal("0f1e2d3c4b5a69788796a5b4c3d2e1f0", s.WhatsApp.AppSecret);
        Assert.True(s.RedisOptions.Ssl);
        Assert.Contains("db.example.net", s.PostgresConnectionString);
    }

    [Fact]
    public void Load_Succeeds_InProd_WithEverySecretFromSecretsFolder()
    {
        foreach (var (k, v) in CompleteProd())
        {
            if (k == K.AppEnv) continue;
            env.WriteSecret(SecretSource.SecretFileName(k), v + "\n");
        }
        Assert.Equal("106540352242922", env.Load().WhatsApp.PhoneNumberId);
    }

    [Fact]
    public void Load_RefusesEveryDevDefault_InProd()
    {
        foreach (var (k, v) in CompleteProd()) env.Variables[k] = v;
        foreach (var (k, v) in MicAiSettings.DevDefaults) env.Variables[k] = v;

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Equal(MicAiSettings.DevDefaults.Count, ex.Problems.Count);
        foreach (var key in MicAiSettings.DevDefaults.Keys)
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
        env.Variables.Remove(K.AppSecret);
        env.WriteSecret("whatsapp_app_secret", "");

        var ex = Assert.Throws<InvalidSettingsException>(env.Load);

        Assert.Contains(K.AppSecret, Assert.Single(ex.Problems));
    }

    [Fact]
    public void Load_AllowsDevDefaultsAndPlaceholders_OutsideProd()
    {
        env.Variables[K.AppEnv] = "test";
        env.Variables[K.AdminApiKey] = "change-me-admin";
        Assert.Equal("change-me-admin", env.Load().AdminApiKey);
    }

    public static TheoryData<string> Required() => new(MicAiSettings.RequiredInProd);
}
