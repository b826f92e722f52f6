using System.Diagnostics;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Functions;

/// <summary>
/// Runs bin/azd-migrate, the azd predeploy hook, the way azd does: with the azd environment's POSTGRES_* values
/// (taken here from a test database URL) and the published Host instead of `dotnet run`.
/// </summary>
public static class AzdMigrateHook
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string databaseUrl, IReadOnlyDictionary<string, string>? extra = null)
    {
        var uri = new Uri(databaseUrl);
        var userInfo = uri.UserInfo.Split(':', 2);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(RepoPaths.Of("bin/azd-migrate"));
        start.Environment["POSTGRES_HOST"] = uri.Host;
        start.Environment["POSTGRES_PORT"] = uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["POSTGRES_ADMIN_LOGIN"] = Uri.UnescapeDataString(userInfo[0]);
        start.Environment["POSTGRES_ADMIN_PASSWORD"] = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "";
        start.Environment["POSTGRES_DATABASE"] = uri.AbsolutePath.TrimStart('/');
        start.Environment["POSTGRES_SSLMODE"] = "prefer"; // the test server may or may not speak TLS; Azure's requires it
        start.Environment["MICAI_HOST_DLL"] = Path.Combine(TestServers.Required("MICAI_TEST_HOST_DIR"), "MicAi.Host.dll");
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
