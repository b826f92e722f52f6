namespace MicAi.Tests.Deployment.Support;

/// <summary>Every command line a deployment file starts the image with, as the argv the container runs.</summary>
public static class DeploymentCommandLines
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> All { get; } = Collect();

    private static Dictionary<string, IReadOnlyList<string>> Collect()
    {
        var docker = DockerfileModel.Load();
        var lines = new Dictionary<string, IReadOnlyList<string>> { ["Dockerfile ENTRYPOINT+CMD"] = docker.Argv() };

        foreach (var (name, service) in ComposeFile.Load().AppServices)
            lines[$"compose.yml {name}"] = docker.Argv(ComposeFile.Command(service));

        foreach (var file in new[] { "render.yaml", "render.single.yaml" })
        {
            foreach (var service in RenderBlueprint.Load(file).AppServices)
            {
                var name = service["name"].Text;
                lines[$"{file} {name}"] = HostRoles.SplitNoShell(service["dockerCommand"].Text, service.Path);
                if (service.Get("preDeployCommand") is { } pre)
                    lines[$"{file} {name} preDeployCommand"] = HostRoles.SplitNoShell(pre.Text, pre.Path);
            }
        }
        return lines;
    }
}
