using MicAi.Core.Agents;
using MicAi.Core.Media;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Media;

/// <summary>The api in-process with the Graph stub (messages and media) and the speech-to-text stub.</summary>
public sealed class MediaApiFixture : IAsyncLifetime
{
    public const int MaxBytes = 1_000_000;
    public const int DailyTranscriptions = 2;

    public GraphStub Graph { get; private set; } = null!;
    public SpeechToTextStub Speech { get; private set; } = null!;
    public MicAiApiFactory Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Graph = await GraphStub.StartAsync();
        Speech = await SpeechToTextStub.StartAsync();
        var settings = await MicAiApiFactory.DefaultSettingsAsync(Graph.BaseUrl);
        settings[AgentSettings.Keys.RequireInvokePrefix] = "false"; // a transcript rarely carries "michael:"
        settings[MediaSettings.Keys.MaxBytes] = MaxBytes.ToString();
        settings[TranscriptionSettings.Keys.BaseUrl] = Speech.BaseUrl;
        settings[TranscriptionSettings.Keys.ApiKey] = SpeechToTextStub.ApiKey;
        settings[TranscriptionSettings.Keys.Model] = SpeechToTextStub.Model;
        settings[TranscriptionSettings.Keys.DailyLimitPerContact] = DailyTranscriptions.ToString();
        Api = new MicAiApiFactory(settings);
        _ = Api.Server;
    }

    public async Task DrainAsync()
    {
        var runner = Api.Get<JobRunner>();
        while (await runner.RunOnceAsync("test", CancellationToken.None) > 0) { }
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Speech.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
