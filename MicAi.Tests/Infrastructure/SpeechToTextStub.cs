using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// OpenAI's speech-to-text endpoint on 127.0.0.1: <c>POST /v1/audio/transcriptions</c>, multipart with <c>file</c> and
/// <c>model</c>. As strict as OpenAI where it matters: the bearer key, the model, a file whose name has one of the
/// extensions OpenAI accepts and whose bytes are that format (an .ogg must be an Ogg stream carrying Opus), else 400
/// with OpenAI's error body. It cannot hear: <see cref="Transcript"/> says what it "hears".
/// </summary>
public sealed class SpeechToTextStub : IAsyncDisposable
{
    public const string ApiKey = "test-transcription-key";
    public const string Model = "whisper-1";
    private static readonly string[] Extensions = ["flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm"];

    private readonly WebApplication app;
    private readonly ConcurrentQueue<(string FileName, int Bytes)> requests = new();

    private SpeechToTextStub(WebApplication app) => this.app = app;

    /// <summary>The base URL with /v1/, as MICAI_TRANSCRIPTION_BASE_URL takes it.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>What the stub answers for a valid request; null answers 500.</summary>
    public volatile string? Transcript = "menu";

    public IReadOnlyCollection<(string FileName, int Bytes)> Requests => requests;

    public static async Task<SpeechToTextStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new SpeechToTextStub(app);
        app.MapPost("/v1/audio/transcriptions", (Func<HttpContext, Task<IResult>>)stub.HandleAsync);
        await app.StartAsync();
        stub.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1/";
        return stub;
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {ApiKey}")
            return Error(401, "Incorrect API key provided.", "invalid_api_key", null);
        if (!http.Request.HasFormContentType) return Error(400, "Could not parse multipart form", null, null);
        var form = await http.Request.ReadFormAsync();
        if (form["model"].ToString() != Model) return Error(400, $"Invalid model {form["model"]}.", "model_not_found", "model");
        if (form.Files.GetFile("file") is not { } file) return Error(400, "you must provide a file", null, "file");
        var extension = Path.GetExtension(file.FileName).TrimStart('.').ToLowerInvariant();
        if (!Extensions.Contains(extension))
            return Error(400, $"Invalid file format. Supported formats: {string.Join(", ", Extensions.Select(e => $"'{e}'"))}", null, "file");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        if (extension is "ogg" or "oga" && !IsOggOpus(bytes)) return Error(400, "Audio file might be corrupted or unsupported", null, "file");
        requests.Enqueue((file.FileName, bytes.Length));
        if (Transcript is not { } text) return Error(500, "The server had an error while processing your request.", null, null);
        return form["response_format"].ToString() switch
        {
            "text" => Results.Text(text),
            "verbose_json" => Results.Json(new JsonObject { ["task"] = "transcribe", ["language"] = "english", ["duration"] = 1.0, ["text"] = text, ["segments"] = new JsonArray() }),
            _ => Results.Json(new JsonObject { ["text"] = text }),
        };
    }

    /// <summary>An Ogg page ("OggS") whose first packet is an Opus identification header ("OpusHead").</summary>
    public static bool IsOggOpus(byte[] bytes) =>
        bytes.Length > 36 && bytes.AsSpan(0, 4).SequenceEqual("OggS"u8) && bytes.AsSpan(28, 8).SequenceEqual("OpusHead"u8);

    private static IResult Error(int status, string message, string? code, string? param) => Results.Json(
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = param, ["code"] = code } },
        statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
