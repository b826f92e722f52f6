namespace MicAi.Core.Configuration;

/// <summary>Every configuration problem found, in one readable message.</summary>
public sealed class InvalidSettingsException(AppEnvironment environment, IReadOnlyList<string> problems)
    : Exception($"MicAi refuses to start ({environment.ToString().ToLowerInvariant()}): {problems.Count} configuration problem(s):"
                + string.Concat(problems.Select(p => "\n  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
