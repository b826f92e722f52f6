using System.Runtime.Versioning;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Deployment;

[UnsupportedOSPlatform("windows")] // bash scripts and Unix file modes
public class OperatorScriptsTests
{
    private static IEnumerable<string> Scripts() => RepoFiles.Scripts();

    [Fact]
    public async Task Shellcheck_PassesOnEveryScript()
    {
        var scripts = Scripts().ToList();
        Assert.Contains(RepoFiles.PathOf("bin/deploy-verify"), scripts);
        var run = await ProcessRun.RunAsync("shellcheck", ["--external-sources", .. scripts]);
        Assert.True(run.ExitCode == 0, $"shellcheck found problems:\n{run.Output}");
    }

    [Fact]
    public void Scripts_AreExecutable_AndStopOnTheFirstError()
    {
        // Sourced libraries (bin/lib/*.sh) have no #! line and inherit their caller's options.
        foreach (var script in Scripts().Where(s => File.ReadLines(s).First().StartsWith("#!")))
        {
            Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, $"{script} is not executable");
            Assert.Contains("set -euo pipefail", File.ReadAllText(script));
        }
    }

    [Fact]
    public async Task InitSecrets_KeepsExistingFiles_WhenRunTwice()
    {
        using var dir = new TempDir();
        var first = await ProcessRun.RunAsync(RepoFiles.PathOf("bin/init-secrets"), ["--dir", dir.Path]);
        Assert.True(first.ExitCode == 0, first.Output);
        var adminKey = Path.Combine(dir.Path, "admin_api_key");
        File.WriteAllText(adminKey, "operator-chosen-key\n");
        var before = Directory.GetFiles(dir.Path).ToDictionary(f => f, File.ReadAllText);

        var second = await ProcessRun.RunAsync(RepoFiles.PathOf("bin/init-secrets"), [], new Dictionary<string, string?> { ["MICAI_SECRETS_DIR"] = dir.Path });

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(before, Directory.GetFiles(dir.Path).ToDictionary(f => f, File.ReadAllText));
        Assert.Contains($"keep    {adminKey} (exists)", second.Stdout);
    }

    [Fact]
    public async Task InitSecrets_WritesRandomKeysAndMetaPlaceholders_ReadableOnlyByOwner()
    {
        using var dir = new TempDir();
        var run = await ProcessRun.RunAsync(RepoFiles.PathOf("bin/init-secrets"), ["--dir", dir.Path]);
        Assert.True(run.ExitCode == 0, run.Output);

        string Read(string name) => File.ReadAllText(Path.Combine(dir.Path, name)).Trim();
        Assert.Matches("^[0-9a-f]{64}$", Read("admin_api_key"));
        Assert.Matches("^[0-9a-f]{64}$", Read("whatsapp_verify_token"));
        Assert.NotEqual(Read("admin_api_key"), Read("whatsapp_verify_token"));
        Assert.Equal($"postgresql://micai:{Read("postgres_password")}@postgres:5432/micai", Read("database_url"));
        foreach (var name in new[] { "whatsapp_access_token", "whatsapp_phone_number_id", "whatsapp_app_secret" })
            Assert.StartsWith("change-me-", Read(name));
        Assert.All(Directory.GetFiles(dir.Path), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task InitSecrets_WritesWorldReadableFiles_WhenContainersNeedThem()
    {
        using var dir = new TempDir();
        var run = await ProcessRun.RunAsync(RepoFiles.PathOf("bin/init-secrets"), ["--dir", dir.Path],
            new Dictionary<string, string?> { ["MICAI_SECRETS_MODE"] = "0644" });
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.All(Directory.GetFiles(dir.Path), f => Assert.True((File.GetUnixFileMode(f) & UnixFileMode.OtherRead) != 0, f));
    }

    [Fact]
    public async Task InitSecrets_RefusesAnUnknownMode()
    {
        using var dir = new TempDir();
        var run = await ProcessRun.RunAsync(RepoFiles.PathOf("bin/init-secrets"), ["--dir", dir.Path, "--mode", "0777"]);
        Assert.Equal(64, run.ExitCode);
        Assert.Contains("mode must be 0600 or 0644", run.Stderr);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Compose_FailsClearly_WhenNoEngineIsInstalled()
    {
        using var bin = MinimalBin();
        var run = await ProcessRun.RunAsync("/bin/bash", [RepoFiles.PathOf("bin/compose"), "ps"],
            new Dictionary<string, string?> { ["PATH"] = bin.Path, ["MICAI_COMPOSE"] = null });
        Assert.Equal(127, run.ExitCode);
        Assert.Contains("no compose tool found", run.Stderr);
    }

    /// <summary>A stand-in podman-compose that prints how it was called, so the scripts' command lines are visible.</summary>
    [Theory]
    [InlineData("bin/compose", "ps", "ps")]
    [InlineData("bin/down", "--volumes", "down --volumes")]
    [InlineData("bin/logs", "worker", "logs --follow worker")]
    [InlineData("bin/logs", "", "logs --follow")]
    public async Task Scripts_RunPodmanCompose_OnTheRepositoryComposeFile(string script, string args, string expected)
    {
        using var fakeBin = MinimalBin();
        var fake = Path.Combine(fakeBin.Path, "podman-compose");
        File.WriteAllText(fake, "#!/bin/sh\necho \"podman-compose $* in $(pwd)\"\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = await ProcessRun.RunAsync("/bin/bash", [RepoFiles.PathOf(script), .. args.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            new Dictionary<string, string?> { ["PATH"] = fakeBin.Path, ["MICAI_COMPOSE"] = null, ["MICAI_COMPOSE_PROJECT"] = null });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal($"podman-compose -p micai -f compose.yml {expected} in {RepoFiles.Root}", run.Stdout.Trim().Split('\n')[^1]);
    }

    [Fact]
    public async Task DeployVerify_ExitsWithUsage_WhenNoUrlIsGiven()
    {
        var run = await ProcessRun.RunAsync(RepoFiles.PathOf("bin/deploy-verify"), []);
        Assert.Equal(64, run.ExitCode);
        Assert.Contains("bin/deploy-verify <url>", run.Stderr);
    }

    [Fact]
    public async Task Health_Fails_WhenNothingListens()
    {
        var run = await ProcessRun.RunAsync(RepoFiles.PathOf("bin/health"), ["http://127.0.0.1:9"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("health: FAILED: http://127.0.0.1:9/health answered no connection", run.Stderr);
    }

    /// <summary>A PATH with only the plain tools the scripts use, so whatever compose tools this machine has stay out.</summary>
    private static TempDir MinimalBin()
    {
        var dir = new TempDir();
        foreach (var tool in new[] { "bash", "dirname", "cat" })
            File.CreateSymbolicLink(Path.Combine(dir.Path, tool), File.Exists($"/usr/bin/{tool}") ? $"/usr/bin/{tool}" : $"/bin/{tool}");
        return dir;
    }
}
