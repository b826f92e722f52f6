using System.Globalization;

namespace MicAi.Core.Agents;

/// <summary>
/// An agent as an admin request names it: MicAi's number (<c>1</c>), or the Python service's string id
/// (<c>default-agent</c>, <c>sales-agent</c>: agents.external_id). The Python service had no agents table, any name
/// was an agent, so a string id that names none yet is created (<see cref="AgentStore.ResolveAsync"/>).
/// </summary>
public readonly record struct AgentReference(long? Id, string? ExternalId)
{
    /// <summary>The Python service's column was VARCHAR(64).</summary>
    public const int MaxExternalIdLength = 64;

    public const string Rule = "a number, or a Python agent id (letters, digits, '.', '_', '-'; up to 64 characters)";

    public static bool TryParse(string? raw, out AgentReference reference)
    {
        reference = default;
        if (string.IsNullOrEmpty(raw)) return false;
        if (raw.All(char.IsAsciiDigit))
        {
            if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return false;
            reference = new AgentReference(id, null);
            return true;
        }
        if (raw.Length > MaxExternalIdLength || !raw.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        reference = new AgentReference(null, raw);
        return true;
    }

    public override string ToString() => Id?.ToString(CultureInfo.InvariantCulture) ?? ExternalId ?? "";
}
