using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;

namespace MicAi.Tests.Configuration;

public sealed class OutboundSettingsTests : IDisposable
{
    private readonly TempSecrets env = new();

    public void Dispose() => env.Dispose();

    [Fact]
    public void Load_UsesMetasDefaults_ForPacingAndNoFallbackTemplate()
    {
        var o = env.Load().Outbound;

        Assert.Null(o.OutOfWindowTemplate);
        Assert.Equal("en_US", o.TemplateLanguage);
        Assert.Equal(80, o.RatePerSecond);
        Assert.Equal(TimeSpan.FromSeconds(1), o.RecipientMinInterval);
    }

    [Fact]
    public void Load_ReadsEveryOutboundKey()
    {
        env.Variables[OutboundSettings.Keys.OutOfWindowTemplate] = " follow_up ";
        env.Variables[OutboundSettings.Keys.TemplateLanguage] = "pt_BR";
        env.Variables[OutboundSettings.Keys.RatePerSecond] = "250";
        env.Variables[OutboundSettings.Keys.RecipientMinIntervalMs] = "0";

        var o = env.Load().Outbound;
        Assert.Equal(("follow_up", "pt_BR", 250, TimeSpan.Zero), (o.OutOfWindowTemplate, o.TemplateLanguage, o.RatePerSecond, o.RecipientMinInterval));
    }

    [Theory]
    [InlineData(OutboundSettings.Keys.RatePerSecond, "0")]
    [InlineData(OutboundSettings.Keys.RatePerSecond, "fast")]
    [InlineData(OutboundSettings.Keys.RecipientMinIntervalMs, "-1")]
    public void Load_NamesTheKey_WhenAPacingValueIsInvalid(string key, string value)
    {
        env.Variables[key] = value;
        var error = Assert.Throws<InvalidSettingsException>(env.Load);
        Assert.Contains(error.Problems, p => p.StartsWith(key, StringComparison.Ordinal));
    }
}
