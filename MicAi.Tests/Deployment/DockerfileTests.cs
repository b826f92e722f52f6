using System.Text.RegularExpressions;
using System.Xml.Linq;
using MicAi.Core;
using MicAi.Core.Configuration;
using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Deployment;

public class DockerfileTests
{
    private readonly DockerfileModel docker = DockerfileModel.Load();

    [Fact]
    public void Dockerfile_StartsTheApiRole_WhenNoCommandIsGiven()
    {
        Assert.Equal([HostRoles.Program, HostRoles.Assembly], docker.Entrypoint);
        Assert.Equal("api", HostRoles.RoleOf(docker.Argv(), "Dockerfile ENTRYPOINT+CMD"));
    }

    [Fact]
    public void Dockerfile_ListensOnPort8000_ByDefault()
    {
        var defaults = MicAiSettings.Load(_ => null, new SecretSource(Path.GetTempPath()));
        Assert.Equal(defaults.Hosting.Port.ToString(), docker.Env["PORT"]);
        Assert.Contains(docker.Env["PORT"], docker.Expose);
    }

    [Fact]
    public void Dockerfile_RunsAsNonRootUser_OnTheRuntimeImageOnly()
    {
        Assert.Equal("$APP_UID", docker.User);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", docker.BaseImages[0]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", docker.BaseImages[^1]);
    }

    [Fact]
    public void Dockerfile_ChecksHealth_WithTheScriptItCopies()
    {
        Assert.NotNull(docker.HealthCheck);
        Assert.Contains("/app/micai-healthcheck", docker.HealthCheck);
        Assert.Contains("COPY docker/healthcheck /out/micai-healthcheck", docker.Text);
        Assert.True(File.Exists(RepoFiles.PathOf("docker/healthcheck")));
    }

    /// <summary>The build stage copies projects one by one for layer caching; a new project reference must be copied too.</summary>
    [Fact]
    public void Dockerfile_CopiesEveryProjectTheHostBuildsFrom()
    {
        var projects = new SortedSet<string>();
        void Walk(string project)
        {
            if (!projects.Add(project)) return;
            var dir = Path.GetDirectoryName(project)!;
            foreach (var reference in XDocument.Load(RepoFiles.PathOf(project)).Descendants("ProjectReference"))
                Walk(Path.GetRelativePath(RepoFiles.Root, Path.GetFullPath(Path.Combine(RepoFiles.Root, dir, reference.Attribute("Include")!.Value))).Replace('\\', '/'));
        }
        Walk("MicAi.Host/MicAi.Host.csproj");

        foreach (var project in projects)
        {
            var folder = Path.GetDirectoryName(project)!;
            Assert.Matches(new Regex($@"^COPY {Regex.Escape(project)} {Regex.Escape(folder)}/$", RegexOptions.Multiline), docker.Text);
            Assert.Matches(new Regex($@"^COPY {Regex.Escape(folder)}/ {Regex.Escape(folder)}/$", RegexOptions.Multiline), docker.Text);
        }
        Assert.Matches(new Regex("^COPY Directory.Build.props Directory.Packages.props ./$", RegexOptions.Multiline), docker.Text);
    }

    [Fact]
    public void DockerIgnore_KeepsSecretsAndBuildOutputOutOfTheContext()
    {
        var ignored = RepoFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet();
        Assert.Contains("secrets/", ignored);
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".git/", ignored);
    }
}
