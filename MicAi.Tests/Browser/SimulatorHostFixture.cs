using MicAi.Core.Configuration;
using MicAi.Core.Simulator;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Browser;

/// <summary>
/// The published Host as bin/dev runs it: one process, role <c>all</c> (api + worker + scheduler), with the simulator
/// on, outbound sends on, an app secret (webhooks signed and checked) and the Graph base URL pointed at its own
/// /simulator/graph. A reply therefore travels the real path: signed webhook → Postgres → Redis stream → worker →
/// Graph stand-in → bubble, and its statuses come back as signed webhooks.
/// </summary>
public sealed class SimulatorHostFixture : IAsyncLifetime
{
    private HostProcess? host;

    public string BaseUrl { get; private set; } = "";
    public NpgsqlDataSource Database { get; private set; } = null!;
    public Dictionary<string, string?> Settings { get; private set; } = null!;
    public string Output => host?.Output ?? "";

    public async Task InitializeAsync()
    {
        var port = HostProcess.FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        Settings = await MicAiApiFactory.DefaultSettingsAsync($"{BaseUrl}{SimulatorServices.GraphPath}");
        Settings[SimulatorSettings.Keys.Enabled] = "true";
        host = HostProcess.Start(["all"], Settings, port);
        await host.WaitForReadyAsync(TimeSpan.FromSeconds(60));
        Database = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(Settings[MicAi.Core.Storage.StorageSettings.Keys.DatabaseUrl]!));
    }

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}
