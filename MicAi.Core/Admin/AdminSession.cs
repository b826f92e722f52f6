using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Admin;

/// <summary>A console session as its cookie proves it: the CSRF token bound to it and when it ends.</summary>
public sealed record SessionGrant(string CsrfToken, DateTimeOffset ExpiresAt);

/// <summary>
/// The operator console's session: after a sign-in with the admin key, a cookie that stands for the key on the admin
/// API until it expires. The cookie holds its expiry and a random CSRF token, signed with HMAC-SHA256 under a key
/// derived (HKDF) from MICAI_ADMIN_API_KEY. So every api instance accepts every instance's sessions with no key store
/// to share, and changing the admin key ends every session at once; nothing secret is in the cookie (the key is never
/// sent to the browser after sign-in). A state-changing request with the session must repeat the CSRF token in
/// <see cref="CsrfHeader"/>: a page of another site can make the browser send the cookie (SameSite=Strict already
/// refuses that) but can never read the token.
/// </summary>
public sealed class AdminSession(AdminSettings settings, TimeProvider time)
{
    public const string CookieName = "micai_console";
    public const string CsrfHeader = "x-csrf-token";
    private const string Version = "v1";

    private readonly byte[] signingKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(settings.ApiKey), 32,
        salt: [], info: Encoding.UTF8.GetBytes("micai console session v1"));

    public TimeSpan Lifetime => settings.ConsoleSessionLifetime;

    /// <summary>A new session: the cookie's value and what it grants.</summary>
    public (string Cookie, SessionGrant Grant) Issue()
    {
        var grant = new SessionGrant(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), time.GetUtcNow() + Lifetime);
        var payload = string.Join('.', Version, grant.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), grant.CsrfToken);
        return (payload + "." + Sign(payload), grant);
    }

    /// <summary>What the request's session cookie grants, or null: no cookie, a forged or altered one, an expired one.</summary>
    public SessionGrant? Read(HttpRequest request) => Validate(request.Cookies[CookieName]);

    public SessionGrant? Validate(string? cookie)
    {
        var dot = cookie?.LastIndexOf('.') ?? -1;
        if (cookie is null || dot <= 0) return null;
        var payload = cookie[..dot];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(payload)), Encoding.ASCII.GetBytes(cookie[(dot + 1)..]))) return null;
        var parts = payload.Split('.');
        if (parts is not [Version, var expires, var csrf] || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return null;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return expiresAt > time.GetUtcNow() ? new SessionGrant(csrf, expiresAt) : null;
    }

    /// <summary>True when the request may act with <paramref name="grant"/>: a safe method, or the session's CSRF token in the header.</summary>
    public static bool MayAct(HttpRequest request, SessionGrant grant) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
        || request.Headers[CsrfHeader] is { Count: 1 } given && CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(given.ToString()), Encoding.UTF8.GetBytes(grant.CsrfToken));

    private string Sign(string payload) => Base64Url.EncodeToString(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(payload)));
}
