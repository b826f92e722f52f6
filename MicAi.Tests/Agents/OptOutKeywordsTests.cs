using MicAi.Core;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;

namespace MicAi.Tests.Agents;

public sealed class OptOutKeywordsTests
{
    private static OptOutKeywords Keywords(string? optOut = null)
    {
        var vars = new Dictionary<string, string?> { [AgentSettings.Keys.OptOutKeywords] = optOut };
        var agents = MicAiSettings.Load(k => vars.GetValueOrDefault(k), new SecretSource("/nonexistent")).Agents;
        return new OptOutKeywords(agents, new InvokePrefixGate(agents));
    }

    [Theory]
    [InlineData("STOP", OptCommand.OptOut)]
    [InlineData(" stop. ", OptCommand.OptOut)]
    [InlineData("Unsubscribe!", OptCommand.OptOut)]
    [InlineData("michael: stop", OptCommand.OptOut)]
    [InlineData("START", OptCommand.OptIn)]
    [InlineData("don't stop me now", OptCommand.None)]
    [InlineData("stop the music", OptCommand.None)]
    [InlineData("michael: weather", OptCommand.None)]
    public void Detect_MatchesTheWholeMessage_WithOrWithoutPrefix(string text, OptCommand expected) =>
        Assert.Equal(expected, Keywords().Detect(text));

    [Fact]
    public void Detect_UsesTheConfiguredList_IgnoringAccents()
    {
        var keywords = Keywords("PARAR, CANCELAR ASSINATURA");
        Assert.Equal(OptCommand.OptOut, keywords.Detect("Parár"));
        Assert.Equal(OptCommand.OptOut, keywords.Detect("cancelar assinatura"));
        Assert.Equal(OptCommand.None, keywords.Detect("STOP"));
    }

    [Fact]
    public void Detect_JudgesMessagesLongerThanTheStackBufferLikeShortOnes()
    {
        // Folding works in a buffer of its own: 256 chars on the stack, a pooled array beyond.
        var keywords = Keywords();
        Assert.Equal(OptCommand.OptOut, keywords.Detect(new string(' ', 300) + "S\u0301TOP" + new string('!', 300)));
        Assert.Equal(OptCommand.OptOut, keywords.Detect("michael:" + new string(' ', 300) + "stop."));
        Assert.Equal(OptCommand.None, keywords.Detect("stop " + new string('x', 300)));
        Assert.Equal(OptCommand.None, keywords.Detect(new string('x', 300) + " stop"));
    }
}
