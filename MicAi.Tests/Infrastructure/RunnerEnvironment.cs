using System.Collections;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// The Host's own settings (MICAI_* and PORT) in the environment of whoever runs the tests. They must not change
/// what a test runs, yet the in-memory Host reads them: Program takes MICAI_ROLE straight from the process
/// environment, and its builder adds every environment variable to its configuration (also X_FILE, which beats a
/// test's X). WebApplicationFactory cannot remove that source before Program reads it, so while an in-memory Host is
/// built they are taken out of the process environment and put back afterwards. MICAI_TEST_* are the rig's own
/// (server URLs, paths, MICAI_TEST_LOGS) and stay. Child processes get an environment of their own (HostProcess).
/// </summary>
public static class RunnerEnvironment
{
    private static readonly Lock Gate = new();

    public static bool IsHostSetting(string name) =>
        name == "PORT" || (name.StartsWith("MICAI_", StringComparison.Ordinal) && !name.StartsWith("MICAI_TEST_", StringComparison.Ordinal));

    /// <summary>Runs <paramref name="build"/> (which must not wait for another build) with no Host setting in the process environment.</summary>
    public static T WithoutHostSettings<T>(Func<T> build)
    {
        lock (Gate)
        {
            var saved = Current();
            foreach (var name in saved.Keys) Environment.SetEnvironmentVariable(name, null);
            try { return build(); }
            finally { foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value); }
        }
    }

    /// <summary>Sets variables in the process environment, as the runner's shell would, until disposed.</summary>
    public static IDisposable Set(params (string Name, string Value)[] variables)
    {
        var previous = new Dictionary<string, string?>();
        lock (Gate)
            foreach (var (name, value) in variables)
            {
                previous.TryAdd(name, Environment.GetEnvironmentVariable(name));
                Environment.SetEnvironmentVariable(name, value);
            }
        return new Restore(previous);
    }

    private static Dictionary<string, string> Current() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Where(e => IsHostSetting((string)e.Key))
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private sealed class Restore(Dictionary<string, string?> previous) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
                foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
