namespace MicAi.Host;

/// <summary>
/// Start-up leaves garbage behind (configuration, DI, JSON metadata, the first connections) in a heap sized for it.
/// One aggressive, compacting collection shortly after start returns that memory to the OS, so an idle role holds
/// only what it uses (bench: about 5 MB less RSS per role). Under load the heap grows again as needed.
/// </summary>
internal static class StartupMemory
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public static void TrimAfterStart(IHost app) =>
        app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
            _ = Task.Delay(Delay).ContinueWith(
                _ => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true), TaskScheduler.Default));
}
