using System.Text.Json;

namespace MicAi.Tests.WhatsApp;

/// <summary>Reads the Meta fixtures and their manifest from the test output directory, bytes untouched.</summary>
internal static class MetaFixtures
{
    public static readonly string Root = Path.Combine(AppContext.BaseDirectory, "TestData", "meta");

    private static readonly Lazy<JsonDocument> Manifest =
        new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "manifest.json"))));

    public static string AppSecret => Manifest.Value.RootElement.GetProperty("app_secret_for_signatures").GetString()!;

    public static byte[] Bytes(string relativePath) => File.ReadAllBytes(Path.Combine(Root, relativePath));

    public static JsonElement Entry(string relativePath) =>
        Files().Single(f => f.GetProperty("file").GetString() == relativePath);

    public static IEnumerable<JsonElement> Files() =>
        Manifest.Value.RootElement.GetProperty("files").EnumerateArray();

    public static IEnumerable<string> FilesOfKind(Func<string, bool> kind) =>
        Files().Where(f => kind(f.GetProperty("kind").GetString()!)).Select(f => f.GetProperty("file").GetString()!);

    public static IEnumerable<string> WebhookFiles() =>
        Files().Select(f => f.GetProperty("file").GetString()!).Where(f => f.StartsWith("webhooks/", StringComparison.Ordinal));

    public static TheoryData<string> WebhookRows() => new(WebhookFiles());

    public static TheoryData<string> GraphErrorRows() =>
        new(FilesOfKind(k => k == "graph-error"));

    public static string? OutboundId(string name) =>
        Manifest.Value.RootElement.GetProperty("outbound_ids").GetProperty(name).GetString();
}
