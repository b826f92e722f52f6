using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace MicAi.Core.WebUi;

/// <summary>One file of a browser page, read from the assembly once.</summary>
public sealed record EmbeddedAsset(string Name, byte[] Content, string ContentType, EntityTagHeaderValue ETag);

/// <summary>
/// The HTML, CSS and JS of MicAi's browser pages, embedded in MicAi.Core (see the csproj: every
/// <c>&lt;Folder&gt;/wwwroot/**</c> becomes <c>webui/&lt;Folder&gt;/wwwroot/…</c>), so a page needs no build step, no
/// file on disk and no CDN. Files are served with a strong ETag and <c>Cache-Control: no-cache</c>: the browser
/// revalidates (304) and never runs a stale script after an upgrade.
/// </summary>
public sealed class EmbeddedAssets
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly Dictionary<string, EmbeddedAsset> assets;

    private EmbeddedAssets(Dictionary<string, EmbeddedAsset> assets) => this.assets = assets;

    public IReadOnlyCollection<string> Names => assets.Keys;

    /// <summary>The files of <c>&lt;folder&gt;/wwwroot</c> (e.g. "Simulator"), by file name.</summary>
    public static EmbeddedAssets ForFolder(string folder, Assembly? assembly = null)
    {
        assembly ??= typeof(EmbeddedAssets).Assembly;
        var prefix = $"webui/{folder}/wwwroot/";
        var assets = new Dictionary<string, EmbeddedAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource[prefix.Length..];
            if (!ContentTypes.TryGetContentType(name, out var type))
                throw new InvalidOperationException($"no content type known for the embedded asset {resource}");
            if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal))
                type += "; charset=utf-8";
            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
            assets[name] = new EmbeddedAsset(name, content, type, etag);
        }
        return assets.Count > 0 ? new EmbeddedAssets(assets) : throw new InvalidOperationException($"no embedded assets under {prefix}");
    }

    public EmbeddedAsset? Find(string name) => assets.GetValueOrDefault(name);

    /// <summary>The file as a response (304 when the browser's If-None-Match matches), or null when there is none.</summary>
    public IResult? Serve(string name, HttpResponse response)
    {
        if (Find(name) is not { } asset) return null;
        response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
    }

    /// <summary>Maps <c>GET {group}/assets/{name}</c> to these files; an unknown name is a 404 ProblemDetails.</summary>
    public RouteHandlerBuilder MapAssets(IEndpointRouteBuilder group) =>
        group.MapGet("/assets/{name}", (string name, HttpResponse response) =>
            Serve(name, response) ?? TypedResults.Problem($"no asset named '{name}'", statusCode: 404));
}
