using Microsoft.Extensions.Logging;

namespace MicAi.Core.Media;

internal static partial class MediaLog
{
    [LoggerMessage(11000, LogLevel.Information, "Media {MediaId} of {Wamid} stored: {Bytes} bytes in {Location}")]
    public static partial void Stored(ILogger log, string mediaId, string wamid, int bytes, string location);

    [LoggerMessage(11001, LogLevel.Warning, "Media {MediaId} of {Wamid} not kept ({Status}): {Reason}")]
    public static partial void NotKept(ILogger log, string mediaId, string wamid, string status, string reason);

    [LoggerMessage(11002, LogLevel.Error, "Media {MediaId} of {Wamid} failed on the job's last attempt, answered without it: {Reason}")]
    public static partial void GaveUp(ILogger log, string mediaId, string wamid, string reason);

    [LoggerMessage(11003, LogLevel.Warning, "Voice note {MediaId} not transcribed: {Reason}")]
    public static partial void NotTranscribed(ILogger log, string mediaId, string reason, Exception? ex = null);
}
