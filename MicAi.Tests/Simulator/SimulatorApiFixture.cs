using MicAi.Core.Simulator;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Simulator;

/// <summary>
/// One in-process Host (api role) with MICAI_SIMULATOR=true per test class, on Kestrel at a loopback port (not the
/// in-memory test server): the simulator posts its webhooks to the process's own address over a real socket, as it
/// does in bin/dev. No worker runs here, so MicAi stores and acknowledges but does not answer; replies are the
/// browser journeys' business (Browser/).
/// </summary>
public sealed class SimulatorApiFixture : IAsyncLifetime
{
    public MicAiApiFactory Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Settings = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/simulator/graph");
        Settings[SimulatorSettings.Keys.Enabled] = "true";
        Port = HostProcess.FreePort();
        Settings["PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture); // Program binds 0.0.0.0:PORT
        Api = new MicAiApiFactory(Settings);
        Api.UseKestrel();
        Api.StartServer(); // runs migrations
    }

    public Task DisposeAsync() => Api.DisposeAsync().AsTask();

    public string DatabaseUrl => Settings[Core.Storage.StorageSettings.Keys.DatabaseUrl]!;

    public Dictionary<string, string?> Settings { get; private set; } = null!;

    public int Port { get; private set; }

    /// <summary>A client of the page's API, over loopback to the Kestrel port.</summary>
    public HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

    /// <summary>A client that speaks to the stand-in as MicAi does: the configured bearer token.</summary>
    public HttpClient GraphClient(string? token = MicAiApiFactory.AccessToken)
    {
        var client = Client();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public static string MessagesPath => $"/simulator/graph/v24.0/{Webhooks.PhoneNumberId}/messages";
}
