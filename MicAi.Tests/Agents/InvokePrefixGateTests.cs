using MicAi.Core;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;

namespace MicAi.Tests.Agents;

public class InvokePrefixGateTests
{
    private static InvokePrefixGate Gate(bool require = true, string? prefixes = null)
    {
        var variables = new Dictionary<string, string?>
        {
            [AgentSettings.Keys.RequireInvokePrefix] = require ? "true" : "false",
            [AgentSettings.Keys.InvokePrefixes] = prefixes,
        };
        return new InvokePrefixGate(MicAiSettings.Load(variables.GetValueOrDefault, new SecretSource(Path.GetTempPath())).Agents);
    }

    [Theory]
    [InlineData("Michael: hi", "hi")]
    [InlineData("  MICHAEL :hi", "hi")]
    [InlineData("michael:hi", "hi")]
    [InlineData("@michael hi", "hi")]
    [InlineData("@Michael, hi there", "hi there")]
    [InlineData("@michael: hi", "hi")]
    [InlineData("/ask hi", "hi")]
    [InlineData("/ASK   what time is it?  ", "what time is it?")]
    [InlineData("\t/ask\nhi", "hi")]
    public void Admit_StripsThePrefix_IgnoringCaseAndWhitespace(string text, string expected) =>
        Assert.Equal(expected, Gate().Admit(text));

    [Theory]
    [InlineData("@michael")]
    [InlineData("michael:")]
    [InlineData("/ask  ")]
    public void Admit_ReturnsEmptyText_WhenOnlyThePrefixIsSent(string text) =>
        Assert.Equal("", Gate().Admit(text));

    [Theory]
    [InlineData("@michaelangelo hi")]
    [InlineData("/asking for a friend")]
    [InlineData("hi michael: how are you")]
    [InlineData("michael hi")]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("   ")]
    public void Admit_RefusesText_ThatDoesNotStartWithAPrefix(string text) =>
        Assert.Null(Gate().Admit(text));

    [Theory]
    [InlineData("  hello there  ", "hello there")]
    [InlineData("@michaelangelo hi", "@michaelangelo hi")]
    [InlineData("@michael hi", "hi")]
    [InlineData("", "")]
    public void Admit_AdmitsEverythingTrimmed_WhenPrefixIsNotRequired(string text, string expected) =>
        Assert.Equal(expected, Gate(require: false).Admit(text));

    [Fact]
    public void Admit_UsesConfiguredPrefixes()
    {
        var gate = Gate(prefixes: "bot:, !q");
        Assert.Equal("hi", gate.Admit("BOT: hi"));
        Assert.Equal("hi", gate.Admit("!q hi"));
        Assert.Null(gate.Admit("michael: hi"));
    }

    [Fact]
    public void TryStrip_RequiresWordBoundary_OnlyWhenPrefixEndsInALetterOrDigit()
    {
        Assert.False(InvokePrefixGate.TryStrip("@michaelangelo", "@michael", out _));
        Assert.True(InvokePrefixGate.TryStrip("michael:angelo", "michael:", out var rest));
        Assert.Equal("angelo", rest);
    }
}
