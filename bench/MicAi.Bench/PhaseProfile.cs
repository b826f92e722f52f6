namespace MicAi.Bench;

/// <summary>
/// What a phase cost the servers, item by item: Postgres statement by statement (when pg_stat_statements is loaded)
/// and Redis command by command. Started before the phase, noted after it, both per reply over the same interval.
/// </summary>
public sealed class PhaseProfile
{
    private readonly BenchStack stack;
    private readonly bool statements;
    private readonly Dictionary<string, (long Calls, double Usec)> commandsBefore;

    private PhaseProfile(BenchStack stack, bool statements, Dictionary<string, (long Calls, double Usec)> commandsBefore)
    {
        this.stack = stack;
        this.statements = statements;
        this.commandsBefore = commandsBefore;
    }

    public static async Task<PhaseProfile> StartAsync(BenchStack stack) =>
        new(stack, await PgStatements.ResetAsync(stack.Db), await RedisCommands.ReadAsync(stack.Options.RedisUrl));

    /// <param name="phase">Names the phase in the notes (" at 200/s"), or "" for the part's main phase.</param>
    public async Task AddAsync(Report report, string part, long replies, string phase)
    {
        if (statements) await PgStatements.AddAsync(stack.Db, report, part, replies, "reply", phase);
        RedisCommands.Add(report, part, phase, commandsBefore, await RedisCommands.ReadAsync(stack.Options.RedisUrl), replies, "reply");
    }
}
