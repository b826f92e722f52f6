using MicAi.Tests.Infrastructure;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Deployment;

/// <summary>One api (the image's default command line) for every check of bin/deploy-verify and bin/render-verify.</summary>
public sealed class RunningApi : IAsyncLifetime
{
    private TestDatabase? db;

    public HostProcess Host { get; private set; } = null!;
    public Dictionary<string, string?> Env { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        Env = DeploymentEnvironment.Prod(db, HostProcess.FreePort());
        Host = HostProcess.StartCommand(DeploymentCommandLines.All["Dockerfile ENTRYPOINT+CMD"], Env);
        await Host.WaitForReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (db is not null) await db.DisposeAsync();
    }
}

[Collection(PublishedHostCollection.Name)]
public class DeployVerifyTests(RunningApi api) : IClassFixture<RunningApi>
{
    private string Token => api.Env["MICAI_WHATSAPP_VERIFY_TOKEN"]!;
    private string Secret => api.Env["MICAI_WHATSAPP_APP_SECRET"]!;

    private static Task<ProcessRun> Run(string script, params string[] args) =>
        ProcessRun.RunAsync(RepoFiles.PathOf(script), args, new Dictionary<string, string?>
        {
            ["MICAI_WHATSAPP_VERIFY_TOKEN"] = null, ["MICAI_WHATSAPP_APP_SECRET"] = null,
        });

    [Fact]
    public async Task DeployVerify_Passes_WithTheServicesTokenAndSecret()
    {
        var run = await Run("bin/deploy-verify", api.Host.BaseUrl, "--verify-token", Token, "--app-secret", Secret);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("challenge echoed", run.Stdout);
        Assert.Contains("\"processed\":0", run.Stdout);
        Assert.Contains($"all checks passed for {api.Host.BaseUrl}", run.Stdout);
    }

    [Fact]
    public async Task DeployVerify_Exits2_WhenTheVerifyTokenIsWrong()
    {
        var run = await Run("bin/deploy-verify", api.Host.BaseUrl, "--verify-token", "not-the-token");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("rejected the verify token (403)", run.Stderr);
    }

    [Fact]
    public async Task DeployVerify_Exits2_WhenTheAppSecretIsWrong()
    {
        var run = await Run("bin/deploy-verify", api.Host.BaseUrl, "--verify-token", Token, "--app-secret", "not-the-secret");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("rejected the signature (401)", run.Stderr);
    }

    [Fact]
    public async Task DeployVerify_Exits1_WhenNothingAnswers()
    {
        var run = await Run("bin/deploy-verify", $"http://127.0.0.1:{HostProcess.FreePort()}", "--verify-token", Token);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/health answered no connection", run.Stderr);
    }

    [Fact]
    public async Task RenderVerify_ChecksHealthAndHandshake_WithAPositionalToken()
    {
        var ok = await Run("bin/render-verify", api.Host.BaseUrl, Token);
        Assert.True(ok.ExitCode == 0, ok.Output);
        var wrong = await Run("bin/render-verify", api.Host.BaseUrl, "wrong");
        Assert.Equal(2, wrong.ExitCode);
    }

    [Fact]
    public async Task Health_Passes_AgainstTheRunningApi()
    {
        var run = await Run("bin/health", api.Host.BaseUrl);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("health: ok (200)", run.Stdout);
    }
}
