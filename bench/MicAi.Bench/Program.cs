namespace MicAi.Bench;

public static class BenchProgram
{
    /// <returns>0 when the run completed and every correctness check held; 1 when a check failed; 2 on bad usage.</returns>
    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
        var report = await BenchRun.RunAsync(options);
        Console.WriteLine();
        Console.WriteLine(report.Markdown());
        if (report.Write() is { } path) Console.WriteLine($"written to {path}");
        if (report.CorrectnessFailed) Console.Error.WriteLine("FAILED: a correctness check did not hold (see the table)");
        return report.CorrectnessFailed ? 1 : 0;
    }
}
