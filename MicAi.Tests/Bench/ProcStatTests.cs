using MicAi.Bench;

namespace MicAi.Tests.Bench;

public sealed class ProcStatTests
{
    [Fact]
    public void RssBreakdown_SplitsThisProcess_IntoFrameworkAppJitAndRest()
    {
        var appDir = AppContext.BaseDirectory;
        var text = ProcStat.RssBreakdown(Environment.ProcessId, appDir);
        var figures = System.Text.RegularExpressions.Regex.Matches(text, @"(?<kind>[a-zA-Z ]+?) (?<mb>\d+\.\d)")
            .ToDictionary(m => m.Groups["kind"].Value.Trim(' ', ','), m => double.Parse(m.Groups["mb"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["framework", "app", "JIT code", "heaps and rest"], figures.Keys);
        Assert.True(figures["framework"] > 1, text); // System.Private.CoreLib alone is several MB
        Assert.True(figures["app"] > 0, text); // the test assembly itself
        Assert.InRange(figures.Values.Sum(), ProcStat.RssMb(Environment.ProcessId) * 0.8, ProcStat.RssMb(Environment.ProcessId) * 1.2);
    }
}
