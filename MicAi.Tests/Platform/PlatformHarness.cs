using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MicAi.Tests.Platform;

/// <summary>
/// The in-memory Host over real Postgres and Redis with stubs for Graph, Open-Meteo and an OpenAI-compatible LLM,
/// and a FakeTimeProvider; the worker and scheduler run in-process (JobRunner, SchedulerTick).
/// </summary>
public sealed class PlatformHarness : IAsyncDisposable
{
    private PlatformHarness(GraphStub graph, JsonStub weather, JsonStub llm, FakeTimeProvider time, MicAiApiFactory api)
    {
        Graph = graph; Weather = weather; Llm = llm; Time = time; Api = api;
    }

    public GraphStub Graph { get; }
    public JsonStub Weather { get; }
    public JsonStub Llm { get; }
    public FakeTimeProvider Time { get; }
    public MicAiApiFactory Api { get; }
    public NpgsqlDataSource Db => Api.Get<NpgsqlDataSource>();

    public static async Task<PlatformHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var graph = await GraphStub.StartAsync();
        var weather = await JsonStub.StartAsync(StubScripts.OpenMeteo);
        var llm = await JsonStub.StartAsync(_ => StubScripts.ChatCompletion("Hi! I can tell you the weather and set reminders."));
        var settings = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        settings["MICAI_WEATHER_BASE_URL"] = weather.BaseUrl;
        settings["MICAI_LLM_BASE_URL"] = llm.BaseUrl + "v1";
        settings["MICAI_LLM_API_KEY"] = "test-llm-key";
        settings["MICAI_LLM_MODEL"] = "stub-model";
        settings["MICAI_LLM_TIMEOUT_SECONDS"] = "2";
        configure?.Invoke(settings);
        // Fake time starts at the real time so webhook timestamps (real) keep the 24-hour window open.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var api = new MicAiApiFactory(settings, time);
        _ = api.Server;
        return new PlatformHarness(graph, weather, llm, time, api);
    }

    public static string NewContact() => "3519" + Random.Shared.Next(10000000, 99999999);

    public HttpClient Admin() => Api.CreateAdminClient();

    /// <summary>Creates an agent through the admin API and binds the contact to it.</summary>
    public async Task<long> CreateBoundAgentAsync(string waId, object agent)
    {
        var admin = Admin();
        var created = await admin.PostAsJsonAsync("/admin/agents", agent);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/admin/bind/{waId}/{id}", null)).StatusCode);
        return id;
    }

    /// <summary>A signed webhook with one text message, then the worker drains the queue.</summary>
    public async Task SayAsync(string from, string text)
    {
        var response = await Api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Text(from, Webhooks.NewWamid(), text)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await DrainAsync();
    }

    public async Task DrainAsync()
    {
        var runner = Api.Get<JobRunner>();
        while (await runner.RunOnceAsync("test", CancellationToken.None) > 0) { }
    }

    /// <summary>Advances time, runs one scheduler pass and drains what it enqueued.</summary>
    public async Task<int> AdvanceAndTickAsync(TimeSpan by)
    {
        Time.Advance(by);
        var fired = await Api.Get<SchedulerTick>().RunAsync(CancellationToken.None);
        await DrainAsync();
        return fired;
    }

    public string[] TextsTo(string waId) => Graph.Messages.Where(m => m.To == waId).Select(m => m.TextBody ?? "").ToArray();

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Llm.DisposeAsync();
        await Weather.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
