namespace MicAi.Tests.EndToEnd;

/// <summary>
/// End-to-end tests run one at a time and alone, after every parallel test has finished: each drives the published
/// Host as several OS processes and waits on them with timeouts (a pause takes effect within one second), which
/// other process-heavy tests competing for the cores would distort.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "End to end (runs alone)";
}
