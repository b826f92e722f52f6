using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Infrastructure;

/// <summary>One request a stub received.</summary>
public sealed record StubRequest(string Method, string Path, string Query, string? Authorization, string Body);

/// <summary>
/// A third-party HTTP API stand-in on 127.0.0.1 (weather, LLM): every request is recorded and answered by the
/// current script, which tests may swap (status, JSON body, delay).
/// </summary>
public sealed class JsonStub : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<StubRequest> requests = new();

    private JsonStub(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";
    public IReadOnlyCollection<StubRequest> Requests => requests;
    public Func<StubRequest, (int Status, string Body, TimeSpan Delay)> Script { get; set; } = _ => (404, "{}", TimeSpan.Zero);

    public static async Task<JsonStub> StartAsync(Func<StubRequest, (int Status, string Body, TimeSpan Delay)>? script = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new JsonStub(app);
        if (script is not null) stub.Script = script;
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return stub;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var request = new StubRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "",
            context.Request.Headers.Authorization, body);
        requests.Enqueue(request);
        var (status, json, delay) = Script(request);
        if (delay > TimeSpan.Zero)
        {
            try { await Task.Delay(delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Scripts in the wire formats of Open-Meteo (geocoding + forecast) and OpenAI chat completions.</summary>
public static class StubScripts
{
    public static (int, string, TimeSpan) OpenMeteo(StubRequest r) => r.Path switch
    {
        "/v1/search" when r.Query.Contains("name=Lisbon", StringComparison.OrdinalIgnoreCase) => (200, """
            {"results":[{"id":2267057,"name":"Lisbon","latitude":38.71667,"longitude":-9.13333,"elevation":45.0,"feature_code":"PPLC",
             "country_code":"PT","timezone":"Europe/Lisbon","population":517802,"country":"Portugal","admin1":"Lisbon"}],"generationtime_ms":0.9}
            """, TimeSpan.Zero),
        "/v1/search" => (200, """{"generationtime_ms":0.4}""", TimeSpan.Zero),
        "/v1/forecast" => (200, """
            {"latitude":38.72,"longitude":-9.14,"generationtime_ms":0.05,"utc_offset_seconds":0,"timezone":"Europe/Lisbon",
             "timezone_abbreviation":"WET","elevation":45.0,
             "current_units":{"time":"iso8601","interval":"seconds","temperature_2m":"°C","weather_code":"wmo code","wind_speed_10m":"km/h"},
             "current":{"time":"2026-11-26T10:00","interval":900,"temperature_2m":18.6,"weather_code":2,"wind_speed_10m":12.2},
             "daily_units":{"time":"iso8601","temperature_2m_max":"°C","temperature_2m_min":"°C"},
             "daily":{"time":["2026-11-26"],"temperature_2m_max":[21.4],"temperature_2m_min":[13.9]}}
            """, TimeSpan.Zero),
        _ => (404, """{"error":true,"reason":"not found"}""", TimeSpan.Zero),
    };

    public static (int, string, TimeSpan) ChatCompletion(string content, TimeSpan delay = default) => (200, $$"""
        {"id":"chatcmpl-stub1","object":"chat.completion","created":1764150000,"model":"stub-model",
         "choices":[{"index":0,"message":{"role":"assistant","content":{{System.Text.Json.JsonSerializer.Serialize(content)}},"refusal":null},
                     "logprobs":null,"finish_reason":"stop"}],
         "usage":{"prompt_tokens":42,"completion_tokens":12,"total_tokens":54},"system_fingerprint":"fp_stub"}
        """, delay);

    public static readonly (int, string, TimeSpan) ServerError =
        (500, """{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}""", TimeSpan.Zero);
}
