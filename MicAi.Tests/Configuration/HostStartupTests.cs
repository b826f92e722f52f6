using System.Diagnostics;
using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.Configuration;

/// <summary>The built Host as a real process: a prod deployment with bad settings must not start.</summary>
public class HostStartupTests
{
    [Fact]
    public async Task Host_ExitsNonZero_NamingEveryRequiredVariable_WhenProdHasNothingSet()
    {
        var (exitCode, stderr) = await RunHostAsync(new() { [AppSettings.Keys.AppEnv] = "prod" });

        Assert.NotEqual(0, exitCode);
        foreach (var key in SettingsCatalog.RequiredInProd)
            Assert.Contains(key, stderr);
    }

    [Fact]
    public async Task Host_ExitsNonZero_NamingOnlyTheBadVariable_AndEchoingNoSecret()
    {
        var variables = ProdRefusalTests.CompleteProd();
        variables[AdminSettings.Keys.ApiKey] = SettingsCatalog.DevDefaults[AdminSettings.Keys.ApiKey];

        var (exitCode, stderr) = await RunHostAsync(variables);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(AdminSettings.Keys.ApiKey, stderr);
        Assert.Contains("development default", stderr);
        foreach (var key in SettingsCatalog.RequiredInProd.Where(k => k != AdminSettings.Keys.ApiKey))
            Assert.DoesNotContain(key, stderr);
        foreach (var secret in new[] { WhatsAppSettings.Keys.AccessToken, WhatsAppSettings.Keys.AppSecret, WhatsAppSettings.Keys.VerifyToken })
            Assert.DoesNotContain(variables[secret], stderr);
    }

    private static async Task<(int ExitCode, string Stderr)> RunHostAsync(Dictionary<string, string> variables)
    {
        var dll = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "MicAi.Host.dll");
        Assert.True(File.Exists(dll), $"built Host not found at {dll}");
        var workDir = Directory.CreateTempSubdirectory("micai-host-").FullName;
        // dotnet test exports the muxer it runs under; fall back to PATH.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } muxer ? muxer : "dotnet")
        {
            ArgumentList = { dll, "api" },
            WorkingDirectory = workDir, // no appsettings*.json to pick up
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Only what the test sets: nothing MICAI_* (nor PORT) leaks in from the machine running the tests.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MICAI_", StringComparison.OrdinalIgnoreCase) || k == HostingSettings.Keys.Port).ToList())
            start.Environment.Remove(key);
        foreach (var (k, v) in variables) start.Environment[k] = v;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the Host kept running with invalid prod settings; stdout: {await stdout}");
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
        await stdout;
        return (process.ExitCode, await stderr);
    }
}
