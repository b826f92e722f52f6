using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.Configuration;

public sealed class SecretSourceTests : IDisposable
{
    private const string Key = AdminSettings.Keys.ApiKey;
    private readonly TempSecrets secrets = new();

    public void Dispose() => secrets.Dispose();

    [Theory]
    [InlineData("MICAI_ADMIN_API_KEY", "admin_api_key")]
    [InlineData("MICAI_WHATSAPP_APP_SECRET", "whatsapp_app_secret")]
    [InlineData("MICAI_DATABASE_URL", "database_url")]
    [InlineData("OTHER_TOKEN", "other_token")]
    public void SecretFileName_DropsMicaiPrefix_AndLowercases(string name, string file) =>
        Assert.Equal(file, SecretSource.SecretFileName(name));

    [Fact]
    public void Resolve_PrefersFileVariable_OverPlainVariable_AndSecretsFolder()
    {
        secrets.Variables[Key + "_FILE"] = secrets.WriteFile("from-file");
        secrets.Variables[Key] = "from-variable";
        secrets.WriteSecret("admin_api_key", "from-folder");

        var value = secrets.Source.Resolve(secrets.Variable, Key);

        Assert.Equal("from-file", value.Value);
        Assert.Null(value.Problem);
    }

    [Fact]
    public void Resolve_PrefersPlainVariable_OverSecretsFolder()
    {
        secrets.Variables[Key] = "from-variable";
        secrets.WriteSecret("admin_api_key", "from-folder");

        Assert.Equal("from-variable", secrets.Source.Resolve(secrets.Variable, Key).Value);
    }

    [Fact]
    public void Resolve_FallsBackToSecretsFolder()
    {
        secrets.WriteSecret("admin_api_key", "from-folder");
        Assert.Equal("from-folder", secrets.Source.Resolve(secrets.Variable, Key).Value);
    }

    [Fact]
    public void Resolve_ReturnsNoValueAndNoProblem_WhenNothingIsSet()
    {
        var value = secrets.Source.Resolve(secrets.Variable, Key);
        Assert.Null(value.Value);
        Assert.Null(value.Problem);
    }

    [Fact]
    public void Resolve_TrimsWhitespaceAndTrailingNewline_FromFiles()
    {
        secrets.Variables[Key + "_FILE"] = secrets.WriteFile("  s3cret-value \r\n\n");
        Assert.Equal("s3cret-value", secrets.Source.Resolve(secrets.Variable, Key).Value);
    }

    [Fact]
    public void Resolve_ReportsEmptyFileNamedByFileVariable_NamingTheVariable()
    {
        secrets.Variables[Key + "_FILE"] = secrets.WriteFile(" \n");
        var value = secrets.Source.Resolve(secrets.Variable, Key);
        Assert.Null(value.Value);
        Assert.Contains(Key, value.Problem);
        Assert.Contains("empty", value.Problem);
    }

    [Fact]
    public void Resolve_ReportsEmptyFileInSecretsFolder_NamingTheVariable()
    {
        secrets.WriteSecret("admin_api_key", "\n");
        var value = secrets.Source.Resolve(secrets.Variable, Key);
        Assert.Null(value.Value);
        Assert.Contains(Key, value.Problem);
        Assert.Contains("empty", value.Problem);
    }

    [Fact]
    public void Resolve_ReportsMissingFile_NamingTheVariable()
    {
        secrets.Variables[Key + "_FILE"] = Path.Combine(secrets.Path, "does-not-exist");
        var value = secrets.Source.Resolve(secrets.Variable, Key);
        Assert.Null(value.Value);
        Assert.Contains(Key + "_FILE", value.Problem);
    }

    [Fact]
    public void Load_TrimsSecretsGivenAsVariables()
    {
        secrets.Variables[Key] = "  padded-key\t";
        Assert.Equal("padded-key", secrets.Load().Admin.ApiKey);
    }

    [Fact]
    public void Load_ReadsEverySecretFromSecretsFolder()
    {
        secrets.WriteSecret("admin_api_key", "folder-admin\n");
        secrets.WriteSecret("whatsapp_access_token", "folder-token\n");
        secrets.WriteSecret("whatsapp_app_secret", "folder-app-secret\n");

        var s = secrets.Load();

        Assert.Equal("folder-admin", s.Admin.ApiKey);
        Assert.Equal("folder-token", s.WhatsApp.AccessToken);
        Assert.Equal("folder-app-secret", s.WhatsApp.AppSecret);
    }

    [Fact]
    public void Load_Throws_WhenASecretFileIsEmpty_EvenInDev()
    {
        secrets.WriteSecret("whatsapp_access_token", "");
        var ex = Assert.Throws<InvalidSettingsException>(secrets.Load);
        Assert.Contains(ex.Problems, p => p.Contains(WhatsAppSettings.Keys.AccessToken) && p.Contains("empty"));
    }
}
