namespace MicAi.Core.Configuration;

/// <summary>
/// Timings of the reliable pipeline (docs/reliability.md). The visibility timeout must be longer than any one job
/// can take (a send is bounded by the 15 s Graph client timeout): a job pending longer is taken for dead.
/// </summary>
public sealed record ReliabilitySettings(TimeSpan VisibilityTimeout, TimeSpan ShutdownTimeout, TimeSpan SchedulerLease)
{
    public static readonly ReliabilitySettings Default = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(15));

    internal static ReliabilitySettings Read(SettingsReader r) => new(
        TimeSpan.FromSeconds(r.Int(MicAiSettings.Keys.QueueVisibilityTimeoutSeconds, 60, min: 1)),
        TimeSpan.FromSeconds(r.Int(MicAiSettings.Keys.ShutdownTimeoutSeconds, 25, min: 1)),
        TimeSpan.FromSeconds(r.Int(MicAiSettings.Keys.SchedulerLeaseSeconds, 15, min: 1)));
}
