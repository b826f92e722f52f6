namespace MicAi.Tests.Deployment.Support;

/// <summary>
/// Tests that start published Host processes run on their own, after the parallel tests: a dozen .NET processes
/// starting at once on two cores would slow every other class's servers past their start-up waits.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PublishedHostCollection
{
    public const string Name = "Published Host processes";
}
