using System.Reflection;
using System.Text.RegularExpressions;
using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Deployment;

public partial class RenderEnvExampleTests
{
    /// <summary>KEY=value lines; "# KEY=value" lines document a key that is normally set another way.</summary>
    private static Dictionary<string, string> Parse(bool includeCommented)
    {
        var result = new Dictionary<string, string>();
        foreach (var raw in RepoFiles.Read("render.env.example").Split('\n'))
        {
            var line = raw.Trim();
            if (includeCommented && CommentedSetting().IsMatch(line)) line = line[2..];
            if (line.StartsWith('#') || !line.Contains('=')) continue;
            result[line[..line.IndexOf('=')]] = line[(line.IndexOf('=') + 1)..];
        }
        return result;
    }

    [GeneratedRegex("^# [A-Z][A-Z0-9_]*=")]
    private static partial Regex CommentedSetting();

    [Fact]
    public void EnvExample_ListsEverySettingTheCodeReads()
    {
        var listed = Parse(includeCommented: true);
        // What an operator sets on Render: not what the platform sets, not the Functions app's own, not a Python name MicAi ignores.
        var keys = SettingsCatalog.All.Where(s => !s.SetByPlatform && s.Scope != SettingScope.FunctionsOnly && s.Declaration.Deprecated is null)
            .Select(s => s.Name).ToList();
        var missing = keys.Where(k => !listed.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"render.env.example lacks {string.Join(", ", missing)}");
    }

    /// <summary>Loaded as-is in prod, the example is refused for exactly its placeholders, and nothing else.</summary>
    [Fact]
    public void EnvExample_IsRefusedInProd_OnlyForItsPlaceholders()
    {
        var env = Parse(includeCommented: false);
        var error = Assert.Throws<InvalidSettingsException>(
            () => MicAiSettings.Load(k => env.GetValueOrDefault(k), new SecretSource(Path.Combine(Path.GetTempPath(), "micai-no-secrets"))));
        Assert.Equal(
            SettingsCatalog.RequiredInProd.Select(k => $"{k} is still a change-me placeholder").Order(),
            error.Problems.Order());
        Assert.All(SettingsCatalog.RequiredInProd, k => Assert.StartsWith("change-me-", env[k]));
    }

    [Fact]
    public void EnvExample_StartsReceiveOnly_WithTheDocumentedDefaults()
    {
        var env = Parse(includeCommented: false);
        env[AppSettings.Keys.AppEnv] = "dev";
        foreach (var key in SettingsCatalog.RequiredInProd) env.Remove(key); // placeholders are not URLs; dev defaults stand in
        var settings = MicAiSettings.Load(k => env.GetValueOrDefault(k), new SecretSource(Path.Combine(Path.GetTempPath(), "micai-no-secrets")));
        var defaults = MicAiSettings.Load(_ => null, new SecretSource(Path.Combine(Path.GetTempPath(), "micai-no-secrets")));

        Assert.False(settings.Outbound.ReplyEnabled);
        Assert.Equal(defaults.Hosting.Port, settings.Hosting.Port);
        Assert.Equal(defaults.Agents.RequireInvokePrefix, settings.Agents.RequireInvokePrefix);
        Assert.Equal(defaults.Agents.InvokePrefixes, settings.Agents.InvokePrefixes);
        Assert.Equal(defaults.Outbound.FreeformWindowHours, settings.Outbound.FreeformWindowHours);
        Assert.Equal(defaults.Queue.MaxAttempts, settings.Queue.MaxAttempts);
        Assert.Equal(defaults.Inbox.WebhookMaxBodyBytes, settings.Inbox.WebhookMaxBodyBytes);
        Assert.Equal(defaults.WhatsApp.GraphBaseUrl, settings.WhatsApp.GraphBaseUrl);
        Assert.Equal(defaults.WhatsApp.GraphVersion, settings.WhatsApp.GraphVersion);
    }
}
