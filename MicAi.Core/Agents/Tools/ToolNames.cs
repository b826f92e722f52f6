namespace MicAi.Core.Agents.Tools;

/// <summary>The tools an agent may be allowed (agents.allowed_tools).</summary>
public static class ToolNames
{
    public const string Remind = "remind";
    public const string Weather = "weather";

    public static readonly IReadOnlyList<string> All = [Remind, Weather];
}
