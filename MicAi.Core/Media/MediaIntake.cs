using Microsoft.Extensions.Logging;

namespace MicAi.Core.Media;

/// <summary>
/// What the answer to a media message starts from: the file kept, and for a voice note what was heard, or why
/// nothing was (<see cref="UnheardReason"/>: the message then gets MICAI_TRANSCRIPTION_FALLBACK_REPLY).
/// </summary>
public sealed record MediaOutcome(MediaRow Row, string? Heard, string? UnheardReason);

/// <summary>
/// The media step of an inbound job: download and keep the file (<see cref="MediaDownloader"/>), then transcribe a
/// voice note unless transcription is off, the contact reached today's cap or the file was not kept. A transcript
/// is saved on the media row, so a re-run of the job neither calls the speech-to-text endpoint again nor counts twice.
/// </summary>
public sealed class MediaIntake(
    MediaDownloader downloader, MediaStore media, MediaContents contents, Transcriber transcriber, TranscriptionSettings settings,
    ILogger<MediaIntake> log)
{
    public string FallbackReply => settings.FallbackReply;

    public async Task<MediaOutcome> PrepareAsync(MediaRef m, bool lastAttempt, CancellationToken ct)
    {
        var row = await downloader.FetchAsync(m, lastAttempt, ct);
        if (!row.Voice) return new(row, null, null);
        if (row.Transcript is { } done) return new(row, done, null);
        if (!transcriber.IsOn) return Unheard(row, "transcription is off (MICAI_TRANSCRIPTION_BASE_URL unset)");
        if (row.Status != MediaStatus.Stored) return Unheard(row, $"the file was not kept ({row.Error})");
        if (await media.TranscribedTodayAsync(m.WaId, ct) >= settings.DailyLimitPerContact)
            return Unheard(row, $"the contact reached today's cap of {settings.DailyLimitPerContact}");
        if (await contents.For(row.Location)!.ReadAsync(row.MediaId, ct) is not { } audio) return Unheard(row, "the stored file is missing");
        string? heard;
        try
        {
            heard = await transcriber.TranscribeAsync(audio, row.MimeType ?? "audio/ogg", ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            MediaLog.NotTranscribed(log, row.MediaId, "the speech-to-text call failed", ex);
            return new(row, null, "the speech-to-text call failed");
        }
        if (heard is null) return Unheard(row, "nothing was heard");
        await media.SaveTranscriptAsync(row.MediaId, heard, ct);
        return new(row, heard, null);
    }

    private MediaOutcome Unheard(MediaRow row, string reason)
    {
        MediaLog.NotTranscribed(log, row.MediaId, reason);
        return new(row, null, reason);
    }
}
