using MicAi.Bench;

namespace MicAi.Tests.Bench;

public sealed class CeilingKeysTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.5)] // every second insert a repeat: the key one round back was itself a repeat half the time
    public void Keys_RepeatOnlyKeysAlreadyHandedOutAsNew_AndCountEachNewKeyOnce(double ratio)
    {
        var keys = new CeilingKeys(templates: 4, ratio);
        var issued = Enumerable.Range(0, 400).Select(_ => keys.Next()).ToList();

        var seen = new HashSet<string>();
        var repeats = 0;
        foreach (var (template, wamid) in issued)
        {
            Assert.EndsWith($".{template}.{wamid.Split('.')[^1]}", wamid);
            if (!seen.Add(wamid)) repeats++;
        }
        Assert.Equal(seen.Count, keys.Unique);
        Assert.Equal(400 - seen.Count, repeats);
        // Every repeat is in a later round than the first (round 0 never repeats), at the redelivery ratio.
        Assert.Equal(4, issued.Take(4).Select(k => k.Wamid).Distinct().Count());
        Assert.InRange(repeats, (int)(396 * ratio) - 1, (int)(396 * ratio) + 1);
    }
}
