using MicAi.Core.Agents;

namespace MicAi.Tests.Agents;

public class RuleEngineTests
{
    private static AgentRule Keyword(long id, string[] keywords, int priority = 100, bool enabled = true, string reply = "r") =>
        new(id, 1, "keyword", enabled, priority, keywords, null, "reply_text", null, reply);

    private static AgentRule Prefix(long id, string prefix, int priority = 100, bool enabled = true) =>
        new(id, 1, "prefix", enabled, priority, [], prefix, "reply_text", null, "p");

    [Theory]
    [InlineData("Hello there")]
    [InlineData("oh, HELLO!")]
    [InlineData("hello")]
    [InlineData("well...hello")]
    [InlineData("say hello\n")]
    public void Match_FindsKeyword_AsAWholeWordIgnoringCase(string text) =>
        Assert.NotNull(RuleEngine.Match([Keyword(1, ["hello"])], text));

    [Theory]
    [InlineData("helloworld")]
    [InlineData("othello")]
    [InlineData("hello2")]
    [InlineData("hell o")]
    [InlineData("")]
    public void Match_IgnoresKeyword_InsideAnotherWord(string text) =>
        Assert.Null(RuleEngine.Match([Keyword(1, ["hello"])], text));

    [Theory]
    [InlineData("ola", "Olá, tudo bem?")]
    [InlineData("Olá", "ola amigo")]
    [InlineData("preço", "qual o PRECO?")]
    [InlineData("café", "um CAFÉ por favor")]
    public void Match_IgnoresAccents(string keyword, string text) =>
        Assert.NotNull(RuleEngine.Match([Keyword(1, [keyword])], text));

    [Fact]
    public void Match_FindsAnyOfSeveralKeywords_IncludingPhrases()
    {
        var rule = Keyword(1, ["hi", " good morning ", "hey"]);
        Assert.Same(rule, RuleEngine.Match([rule], "Hey!"));
        Assert.Same(rule, RuleEngine.Match([rule], "and a GOOD morning to you"));
        Assert.Null(RuleEngine.Match([rule], "good mornings"));
        Assert.Null(RuleEngine.Match([rule], "history"));
    }

    [Fact]
    public void Match_IgnoresBlankKeywords()
    {
        Assert.Null(RuleEngine.Match([Keyword(1, ["", "  "])], "anything at all"));
        Assert.Null(RuleEngine.Match([Keyword(1, [])], "anything at all"));
    }

    [Fact]
    public void Match_PrefersLowerPriority_ThenLowerId()
    {
        var late = Keyword(1, ["hello"], priority: 50);
        var first = Keyword(3, ["hello"], priority: 10);
        var tieLater = Keyword(4, ["hello"], priority: 10);

        Assert.Same(first, RuleEngine.Match([late, tieLater, first], "hello"));
        Assert.Same(first, RuleEngine.Match([tieLater, first, late], "hello"));
    }

    [Fact]
    public void Match_SkipsDisabledRules()
    {
        var disabled = Keyword(1, ["hello"], priority: 1, enabled: false);
        var enabled = Keyword(2, ["hello"], priority: 99);

        Assert.Same(enabled, RuleEngine.Match([disabled, enabled], "hello"));
        Assert.Null(RuleEngine.Match([disabled], "hello"));
    }

    [Fact]
    public void Match_FallsThroughToLaterRule_WhenEarlierDoesNotMatch()
    {
        var weather = Keyword(1, ["weather"], priority: 1);
        var hello = Keyword(2, ["hello"], priority: 2);
        Assert.Same(hello, RuleEngine.Match([weather, hello], "hello"));
    }

    [Theory]
    [InlineData("price of coffee")]
    [InlineData("  PRICE of coffee")]
    [InlineData("Prîce?")]
    public void Match_FindsPrefixRule_AtTheStartOfTheText(string text) =>
        Assert.NotNull(RuleEngine.Match([Prefix(1, "price")], text));

    [Theory]
    [InlineData("what is the price")]
    [InlineData("")]
    public void Match_IgnoresPrefixRule_WhenTextDoesNotStartWithIt(string text) =>
        Assert.Null(RuleEngine.Match([Prefix(1, "price")], text));

    [Fact]
    public void Match_FindsPrefixRule_AfterTheInvokePrefixIsStripped()
    {
        var rule = Prefix(1, "/weather");
        Assert.True(InvokePrefixGate.TryStrip("Michael: /weather Lisbon", "michael:", out var admitted));
        Assert.Same(rule, RuleEngine.Match([rule], admitted));
        Assert.Null(RuleEngine.Match([rule], "Michael: /weather Lisbon"));
    }

    [Fact]
    public void Match_IgnoresUnknownRuleTypes()
    {
        var odd = new AgentRule(1, 1, "regex", true, 1, ["hello"], "hello", "reply_text", null, "x");
        Assert.Null(RuleEngine.Match([odd], "hello"));
    }

    [Fact]
    public void Render_FillsNameAndText()
    {
        Assert.Equal("Hi Ana! You said: price?", RuleEngine.Render("Hi {name}! You said: {text}", "Ana", "price?"));
        Assert.Equal("Ana Ana / hi", RuleEngine.Render("{name} {name} / {text}", "Ana", "hi"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Render_SaysThere_WhenProfileNameIsUnknown(string? name) =>
        Assert.Equal("Hi there!", RuleEngine.Render("Hi {name}!", name, "x"));

    [Fact]
    public void Render_LeavesTemplateWithoutPlaceholdersAlone() =>
        Assert.Equal("Opening hours: 9-17", RuleEngine.Render("Opening hours: 9-17", "Ana", "hours"));
}
