namespace MicAi.Tests.Browser;

/// <summary>
/// Every test that drives a real browser: one Chromium for the whole run (<see cref="BrowserFixture"/>), a fresh
/// context and page per test. Runs alone, after the parallel tests: Chromium and the published Host it talks to are
/// the heaviest processes of the suite, and the journeys wait on them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser (runs alone)";
}
