namespace MicAi.Core.Telemetry;

/// <summary>Histogram boundaries in seconds (the SDK's default ones are for milliseconds).</summary>
public static class Buckets
{
    /// <summary>From 5 ms to 5 minutes: a job, a send, a wait for a pacing slot, a scheduler's lag.</summary>
    public static readonly double[] Seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
}
