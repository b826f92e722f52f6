using MicAi.Core;
using MicAi.Core.Configuration;

namespace MicAi.Tests.Configuration;

/// <summary>A throwaway secrets folder standing in for /run/secrets, plus the variables a test sets.</summary>
public sealed class TempSecrets : IDisposable
{
    public TempSecrets() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "micai-secrets-" + Guid.NewGuid().ToString("N"));
    public Dictionary<string, string?> Variables { get; } = [];
    public SecretSource Source => new(Path);

    /// <summary>Writes a file into the secrets folder (as a container runtime would mount it) and returns its path.</summary>
    public string WriteSecret(string fileName, string content)
    {
        var file = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Writes a file elsewhere, for X_FILE.</summary>
    public string WriteFile(string content)
    {
        var dir = System.IO.Path.Combine(Path, "elsewhere");
        Directory.CreateDirectory(dir);
        var file = System.IO.Path.Combine(dir, Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, content);
        return file;
    }

    public string? Variable(string name) => Variables.GetValueOrDefault(name);

    public MicAiSettings Load() => MicAiSettings.Load(Variable, Source);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
