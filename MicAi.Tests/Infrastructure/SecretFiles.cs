using MicAi.Core.Configuration;

namespace MicAi.Tests.Infrastructure;

/// <summary>Secrets as an operator mounts them: one file per value, named to the app by X_FILE.</summary>
public static class SecretFiles
{
    /// <summary>Writes each value to DIRECTORY/name (owner-only) and returns the X_FILE settings that name the files.</summary>
    public static Dictionary<string, string> Write(string directory, IReadOnlyDictionary<string, string> secrets)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in secrets)
        {
            var file = Path.Combine(directory, SecretSource.SecretFileName(key));
            File.WriteAllText(file, value + "\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            settings[key + "_FILE"] = file;
        }
        return settings;
    }
}
