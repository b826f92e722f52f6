using System.Globalization;

/// <summary>
/// Run by the runtime before the Host's Main when DOTNET_STARTUP_HOOKS names this assembly (the runtime wants this
/// class name in no namespace). With MICAI_BENCH_COUNTERS_DIR set, every 100 ms it replaces the file named by the
/// process id there with one line: GC count of gen 0, 1, 2, total GC pause in ms, thread-pool threads, and work
/// items waiting in the thread pool, then the GC heap's size after the last collection, the bytes it has committed and
/// the bytes allocated and not yet collected (for a watcher of memory under load; the bench reads the first six). The
/// file is written beside and moved into place, so a reader never sees half.
/// </summary>
internal static class StartupHook
{
    private static Timer? timer;

    public static void Initialize()
    {
        var dir = Environment.GetEnvironmentVariable("MICAI_BENCH_COUNTERS_DIR");
        if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir)) return;
        var path = Path.Combine(dir, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var next = path + ".next";
        timer = new Timer(_ =>
        {
            try
            {
                var gc = GC.GetGCMemoryInfo();
                File.WriteAllText(next, string.Create(CultureInfo.InvariantCulture,
                    $"{GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} {GC.GetTotalPauseDuration().TotalMilliseconds:F1} {ThreadPool.ThreadCount} {ThreadPool.PendingWorkItemCount} {gc.HeapSizeBytes} {gc.TotalCommittedBytes} {GC.GetTotalMemory(false)}"));
                File.Move(next, path, overwrite: true);
            }
            catch (IOException) { } // the bench removed its directory: nothing to report to
            catch (UnauthorizedAccessException) { }
        }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }
}
