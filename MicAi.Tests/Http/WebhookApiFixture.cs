using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Http;

/// <summary>One in-memory Host (api role) with its own database, Redis prefix and Graph stub per test class.</summary>
public sealed class WebhookApiFixture : IAsyncLifetime
{
    public GraphStub Graph { get; private set; } = null!;
    public MicAiApiFactory Api { get; private set; } = null!;
    public Dictionary<string, string?> Settings { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Graph = await GraphStub.StartAsync();
        Settings = await MicAiApiFactory.DefaultSettingsAsync(Graph.BaseUrl);
        Api = new MicAiApiFactory(Settings);
        _ = Api.Server; // start now: runs migrations
    }

    /// <summary>Runs the worker in-process (the real JobRunner) until the stream is empty.</summary>
    public async Task DrainAsync()
    {
        var runner = Api.Get<MicAi.Core.Queue.JobRunner>();
        while (await runner.RunOnceAsync("test", CancellationToken.None) > 0) { }
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
