using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.WebUi;

/// <summary>
/// The response headers of every browser-facing route (the simulator now, the operator console later). The page may
/// load only its own files and talk only to its own origin: no inline script or style (no <c>'unsafe-inline'</c>, no
/// hashes needed because the pages have none), no eval, no plug-ins, no framing, no form posts elsewhere.
/// </summary>
public static class BrowserSecurity
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Every header and its value, in the order they are written.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Headers =
    [
        new("Content-Security-Policy", ContentSecurityPolicy),
        new("X-Content-Type-Options", "nosniff"),
        new("X-Frame-Options", "DENY"),
        new("Referrer-Policy", "no-referrer"),
        new("Cross-Origin-Opener-Policy", "same-origin"),
        new("Cross-Origin-Resource-Policy", "same-origin"),
        new("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ];

    /// <summary>
    /// Adds the headers to every endpoint of <paramref name="builder"/> (a route group, typically), before the handler
    /// runs, so errors and 304s carry them too. Responses are not cached unless the handler says otherwise.
    /// </summary>
    public static TBuilder WithBrowserSecurity<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            foreach (var (name, value) in Headers) headers[name] = value;
            headers.CacheControl = "no-store";
            return await next(context);
        });
        return builder;
    }

    /// <summary>
    /// True when a state-changing request may come from our own page: a cross-site form can post neither a JSON
    /// content type (it would need a CORS preflight, which MicAi never answers) nor a foreign Origin that matches.
    /// </summary>
    public static bool IsSameOriginJson(HttpRequest request)
    {
        if (!request.HasJsonContentType()) return false;
        if (request.Headers.Origin.ToString() is not { Length: > 0 } origin) return true; // non-browser clients send none
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
               && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
