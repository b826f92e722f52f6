using System.Net.Http.Headers;
using System.Text;
using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Admin;

/// <summary>One in-memory Host (api role) with its own database and Redis prefix per test class.</summary>
public sealed class AdminApiFixture : IAsyncLifetime
{
    // Admin operations never call Meta; a closed port makes any accidental call fail loudly.
    public const string UnusedGraphUrl = "http://127.0.0.1:9/";

    public MicAiApiFactory Api { get; private set; } = null!;
    public Dictionary<string, string?> Settings { get; private set; } = null!;
    public NpgsqlDataSource Db => Api.Get<NpgsqlDataSource>();

    /// <summary>The Functions app's admin catch-all, as MicAi.Functions registers it, over this Host's services.</summary>
    public AdminCatchAll CatchAll => catchAll ??= new AdminCatchAll(Api.Services, Api.Get<AdminAccessFilter>(), MicAiEndpoints.MapAdminApi);

    private AdminCatchAll? catchAll;

    public async Task InitializeAsync()
    {
        Settings = await MicAiApiFactory.DefaultSettingsAsync(UnusedGraphUrl);
        Api = new MicAiApiFactory(Settings);
        _ = Api.Server; // start now: runs migrations
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
