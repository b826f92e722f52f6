using MicAi.Core.Configuration;
using K = MicAi.Core.Configuration.MicAiSettings.Keys;

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
        env.Variables[K.OutOfWindowTemplate] = " follow_up ";
        env.Variables[K.TemplateLanguage] = "pt_BR";
        env.Variables[K.OutboundRatePerSecond] = "250";
        env.Variables[K.RecipientMinIntervalMs] = "0";

        Assert.Equal(new OutboundSettings("follow_up", "pt_BR", 250, TimeSpan.Zero), env.Load().Outbound);
    }

    [Theory]
    [InlineData(K.OutboundRatePerSecond, "0")]
    [InlineData(K.OutboundRatePerSecond, "fast")]
    [InlineData(K.RecipientMinIntervalMs, "-1")]
    public void Load_NamesTheKey_WhenAPacingValueIsInvalid(string key, string value)
    {
        env.Variables[key] = value;
        var error = Assert.Throws<InvalidSettingsException>(env.Load);
        Assert.Contains(error.Problems, p => p.StartsWith(key, StringComparison.Ordinal));
    }
}
