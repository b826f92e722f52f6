namespace MicAi.Core.Configuration;

/// <summary>Every configuration problem found, in one readable message.</summary>
public sealed class InvalidSettingsException(AppEnvironment environment, IReadOnlyList<string> problems, IReadOnlyList<string>? unresolved = null)
    : Exception($"MicAi refuses to start ({environment.ToString().ToLowerInvariant()}): {problems.Count} configuration problem(s):"
                + string.Concat(problems.Select(p => "\n  - " + p)))
{
    public AppEnvironment Environment { get; } = environment;

    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>Names of settings that are still unresolved Key Vault references (never their values).</summary>
    public IReadOnlyList<string> Unresolved { get; } = unresolved ?? [];

    /// <summary>
    /// True when nothing is wrong but references the platform has not resolved yet: that fixes itself (the identity
    /// gets its grant, the platform restarts the app), so a process waits and re-checks instead of exiting.
    /// </summary>
    public bool OnlyUnresolvedReferences => Unresolved.Count > 0 && Unresolved.Count == Problems.Count;
}
