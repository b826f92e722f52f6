using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Media;

public static class MediaServices
{
    /// <summary>Inbound media: Graph's media endpoints, the media table, where the bytes go, voice-note transcription.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services, MediaSettings media, TranscriptionSettings transcription)
    {
        services.AddSingleton(media).AddSingleton(transcription);
        services.AddSingleton<MediaStore>().AddSingleton<IMediaContent, PostgresMediaContent>().AddSingleton<MediaContents>();
        if (media.UsesBlob) services.AddSingleton<IMediaContent, BlobMediaContent>();
        services.AddSingleton<MediaDownloader>().AddSingleton<MediaIntake>().AddSingleton<Transcriber>().AddSingleton<MediaUploads>();
        // Downloads are GETs (safe to repeat), but a 16 MB file over a slow link needs more than a message send's 10 s.
        services.AddHttpClient<GraphMediaClient>(GraphMediaClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(120));
        services.AddHttpClient(Transcriber.HttpClientName, http => http.Timeout = transcription.Timeout + TimeSpan.FromSeconds(5));
        return services;
    }
}
