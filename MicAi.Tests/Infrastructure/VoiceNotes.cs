using System.Diagnostics;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// Real WhatsApp-style voice notes: espeak-ng speaks the words to WAV, opusenc (opus-tools) encodes them as OGG/Opus
/// (bin/test installs both with apt-get).
/// </summary>
public static class VoiceNotes
{
    public const string MimeType = "audio/ogg; codecs=opus";

    public static async Task<byte[]> SpeakAsync(string words)
    {
        var dir = Directory.CreateTempSubdirectory("micai-voice-");
        try
        {
            var wav = Path.Combine(dir.FullName, "note.wav");
            var ogg = Path.Combine(dir.FullName, "note.ogg");
            await RunAsync("espeak-ng", "-w", wav, words);
            await RunAsync("opusenc", "--quiet", wav, ogg);
            return await File.ReadAllBytesAsync(ogg);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {error}");
    }
}
