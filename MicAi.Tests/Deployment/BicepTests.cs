using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Functions;

namespace MicAi.Tests.Deployment;

/// <summary>
/// infra/ builds and lints clean with the Bicep CLI from the Azure.Bicep.CommandLine NuGet package (a
/// PackageDownload of the test project, so it restores offline from the NuGet cache like every other package).
/// </summary>
public sealed partial class BicepTests
{
    private static readonly string MainBicep = RepoPaths.Of("infra/main.bicep");

    private static string BicepCli()
    {
        var version = XDocument.Load(RepoPaths.Of("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "Azure.Bicep.CommandLine.linux-x64").Attribute("Version")!.Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cli = Path.Combine(packages, "azure.bicep.commandline.linux-x64", version, "tools", "bicep");
        Assert.True(File.Exists(cli), $"bicep {version} not found at {cli}: restore MicAi.Tests (it downloads the package)");
        return cli;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunBicepAsync(params string[] args)
    {
        var start = new ProcessStartInfo(BicepCli()) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Offline by design: no telemetry, no registry restore.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task MainBicep_Builds_WithNoWarnings()
    {
        var (exit, stdout, stderr) = await RunBicepAsync("build", MainBicep, "--stdout");

        Assert.True(exit == 0 && stderr.Length == 0, $"bicep build: exit {exit}\n{stderr}");
        var outputs = JsonNode.Parse(stdout)!["outputs"]!.AsObject();
        Assert.Contains("WEBHOOK_URL", outputs.Select(o => o.Key));
        Assert.All(outputs, o => Assert.Matches("^[A-Z][A-Z0-9_]*$", o.Key));
    }

    [Fact]
    public async Task MainBicep_Lints_WithNoDiagnostics()
    {
        var (exit, stdout, stderr) = await RunBicepAsync("lint", MainBicep);

        Assert.True(exit == 0 && stderr.Length == 0 && stdout.Trim().Length == 0, $"bicep lint: exit {exit}\n{stdout}\n{stderr}");
    }

    [Fact]
    public void FunctionApp_RunsIsolatedDotnet10OnFlexConsumption_WithIdentityBasedStorage()
    {
        var function = File.ReadAllText(RepoPaths.Of("infra/app/function.bicep"));

        Assert.Contains("tier: 'FlexConsumption'", function);
        Assert.Matches(@"runtime: \{\s*name: 'dotnet-isolated'\s*version: '10\.0'", function);
        Assert.Contains("type: 'UserAssigned'", function);
        Assert.Contains("AzureWebJobsStorage__accountName:", function);
        Assert.Contains("AzureWebJobsStorage__credential: 'managedidentity'", function);
        Assert.Contains("AzureWebJobsStorage__clientId:", function);
        Assert.DoesNotContain("AccountKey", function);
    }

    [Fact]
    public void MediaBlobContainer_IsProvisioned_AndReachedWithTheAppsIdentity()
    {
        var storage = File.ReadAllText(RepoPaths.Of("infra/app/storage.bicep"));
        var function = File.ReadAllText(RepoPaths.Of("infra/app/function.bicep"));

        Assert.Matches(@"resource mediaContainer 'Microsoft\.Storage/storageAccounts/blobServices/containers@[^']+' = \{\s*parent: blobService\s*name: mediaContainerName\s*properties: \{ publicAccess: 'None' \}", storage);
        Assert.Contains("MICAI_MEDIA_BLOB_URL: mediaBlobUrl", function);
        Assert.Contains("MICAI_MEDIA_BLOB_CLIENT_ID: identityClientId", function); // the identity holds Storage Blob Data Owner (rbac.bicep)
        Assert.Contains("MICAI_MEDIA_BLOB_CONTAINER: mediaContainerName", function);
    }

    [Fact]
    public void FunctionApp_SetsEveryRequiredSetting_WithSecretsAsKeyVaultReferences()
    {
        var settings = AppSettings(File.ReadAllText(RepoPaths.Of("infra/app/function.bicep")));

        Assert.All(SettingsCatalog.RequiredInProd, key => Assert.True(settings.ContainsKey(key), $"function.bicep does not set {key}"));
        Assert.Equal("'prod'", settings[Core.Configuration.AppSettings.Keys.AppEnv]);
        foreach (var secret in SettingsCatalog.RequiredInProd.Where(k => k != WhatsAppSettings.Keys.PhoneNumberId))
            Assert.StartsWith("'@Microsoft.KeyVault(SecretUri=${secretUris.", settings[secret]);
        Assert.Contains("MICAI_WORKER_POLL_SCHEDULE", settings.Keys);
        Assert.Contains("MICAI_SCHEDULER_SCHEDULE", settings.Keys);
    }

    [Fact]
    public void FunctionApp_DoesNotMigrateAtStart_UnlessAsked_AndAdmitsTheDeployingMachineForTheHook()
    {
        var settings = AppSettings(File.ReadAllText(RepoPaths.Of("infra/app/function.bicep")));
        var main = File.ReadAllText(MainBicep);

        Assert.Equal("string(migrateOnStart)", settings[HostingSettings.Keys.MigrateOnStart]);
        Assert.Contains("param migrateOnStart bool = false", main);
        Assert.Contains("resource allowDeployClient 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (!empty(deployClientIp))",
            File.ReadAllText(RepoPaths.Of("infra/app/postgres.bicep")));
        // What bin/azd-migrate reads from the azd environment.
        Assert.Contains("output POSTGRES_HOST string", main);
        Assert.Contains("output POSTGRES_DATABASE string", main);
        Assert.Contains("output POSTGRES_ADMIN_LOGIN string", main);
        Assert.Contains("output ADMIN_API_URL string = 'https://${function.outputs.defaultHostName}/manage'", main);
    }

    [Fact]
    public void RoleAssignments_AreNamedByScopePrincipalAndRole()
    {
        var rbac = File.ReadAllText(RepoPaths.Of("infra/app/rbac.bicep"));
        var names = RoleAssignmentName().Matches(rbac);

        Assert.Equal(3, names.Count); // storage (looped over three roles), Key Vault, Application Insights
        Assert.All(names, m => Assert.Matches(@"^guid\(\w+\.id, principalId, [\w.]+\)$", m.Groups[1].Value));
    }

    [Fact]
    public void Modules_AreLocalFiles_SoTheTemplateBuildsOffline()
    {
        var bicepFiles = Directory.GetFiles(RepoPaths.Of("infra"), "*.bicep", SearchOption.AllDirectories);

        Assert.All(bicepFiles, f => Assert.DoesNotContain("br/public:", File.ReadAllText(f)));
        foreach (Match module in Regex.Matches(File.ReadAllText(MainBicep), @"module \w+ '([^']+)'"))
            Assert.True(File.Exists(RepoPaths.Of(Path.Combine("infra", module.Groups[1].Value))), $"missing module {module.Groups[1].Value}");
    }

    [Fact]
    public void MainParameters_SupplyEveryParameterWithoutADefault()
    {
        var supplied = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("infra/main.parameters.json")))!["parameters"]!.AsObject()
            .Select(p => p.Key).ToHashSet();
        var declared = Regex.Matches(File.ReadAllText(MainBicep), @"^param (\w+) \w+( = )?", RegexOptions.Multiline).ToList();

        Assert.All(declared.Where(p => !p.Groups[2].Success), p => Assert.Contains(p.Groups[1].Value, supplied));
        Assert.All(supplied, name => Assert.Contains(declared, p => p.Groups[1].Value == name));
    }

    [Fact]
    public void AzureYaml_DeploysMicAiFunctions_AsTheApiService()
    {
        var yaml = File.ReadAllLines(RepoPaths.Of("azure.yaml")).Select(l => l.TrimEnd()).ToList();

        var api = yaml.IndexOf("  api:");
        Assert.True(api > 0, "azure.yaml has no service 'api'");
        var service = yaml.Skip(api + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.Contains("project: ./MicAi.Functions", service);
        Assert.Contains("language: dotnet", service);
        Assert.Contains("host: function", service);
        // azd finds the service's app by this tag.
        Assert.Contains("'azd-service-name': 'api'", File.ReadAllText(RepoPaths.Of("infra/app/function.bicep")));
    }

    /// <summary>The appsettings block of function.bicep as name → Bicep expression.</summary>
    private static Dictionary<string, string> AppSettings(string bicep)
    {
        var block = bicep[bicep.IndexOf("name: 'appsettings'", StringComparison.Ordinal)..];
        return SettingLine().Matches(block).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
    }

    [GeneratedRegex(@"^\s{4}(\w+): (.+)$", RegexOptions.Multiline)]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"name: (guid\([^\n]+\))\s*$", RegexOptions.Multiline)]
    private static partial Regex RoleAssignmentName();
}
