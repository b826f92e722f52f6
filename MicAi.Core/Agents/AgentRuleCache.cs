using System.Collections.Concurrent;

namespace MicAi.Core.Agents;

/// <summary>
/// Each agent's compiled rules, kept per process and compiled again only when <c>agents.rules_version</c> moved.
/// </summary>
/// <remarks>
/// Why a version in Postgres and not a Redis notification: the worker already reads the message, its contact and its
/// agent in one statement per message, so the version costs one more column there, no round trip. A trigger raises it
/// in the same transaction as any change to the agent's rules (whatever writes them: the admin API, a script, psql),
/// so a worker never matches against rules older than the message's read, and nothing is missed the way a
/// pub/sub message can be (Redis down, a Functions instance asleep).
/// Compiling happens once per change per process.
/// </remarks>
public sealed class AgentRuleCache(RuleStore store)
{
    private readonly ConcurrentDictionary<long, CompiledRules> byAgent = new();

    /// <summary>The agent's rules at <paramref name="version"/> or newer.</summary>
    public async ValueTask<CompiledRules> GetAsync(long agentId, long version, CancellationToken ct)
    {
        if (byAgent.TryGetValue(agentId, out var cached) && cached.Version >= version) return cached;
        var fresh = await store.LoadCompiledAsync(agentId, ct); // read with its own version, never older than ours
        return byAgent.AddOrUpdate(agentId, fresh, (_, current) => current.Version >= fresh.Version ? current : fresh);
    }
}
