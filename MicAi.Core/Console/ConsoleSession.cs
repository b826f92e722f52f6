using System.Text.Json;
using MicAi.Core.Admin;
using MicAi.Core.Http;
using MicAi.Core.WebUi;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Console;

/// <summary>What the console page learns about its session: the CSRF token to send, when it ends, where the admin API is.</summary>
public sealed record ConsoleSessionView(string CsrfToken, DateTimeOffset ExpiresAt, string AdminBase);

/// <summary>The sign-in form's body.</summary>
public sealed record ConsoleSignInInput(string? Key);

/// <summary>
/// Sign-in, the current session and sign-out (<c>{console}/api/session</c>). Sign-in takes the admin key once, through
/// the admin API's own allowlist, failed-key limiter and key check, and answers with the session cookie (HttpOnly,
/// SameSite=Strict, Secure over HTTPS, expiring with the session); the key is not kept anywhere. A sign-in must be
/// JSON from the console's own origin (a cross-site form cannot send that), sign-out must carry the CSRF token.
/// </summary>
public sealed class ConsoleSession(AdminSession sessions, AdminAccess access, AdminAccessFilter admin)
{
    public const long MaxBodyBytes = 4 * 1024;

    /// <summary>The session, or 204 when there is none (not an error: the page then shows the sign-in form).</summary>
    public IResult Current(HttpContext context, string adminMount) =>
        sessions.Read(context.Request) is { } grant
            ? TypedResults.Json(View(context, grant, adminMount), ApiJson.Options)
            : TypedResults.NoContent();

    public async Task<IResult> SignInAsync(HttpContext context, string adminMount, CancellationToken ct)
    {
        var request = context.Request;
        if (!BrowserSecurity.IsSameOriginJson(request))
            return request.HasJsonContentType()
                ? TypedResults.Problem("sign in from the console's own page", statusCode: StatusCodes.Status403Forbidden)
                : TypedResults.Problem("send application/json", statusCode: StatusCodes.Status415UnsupportedMediaType);
        using var body = await RequestBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null) return TypedResults.Problem($"body larger than {MaxBodyBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        ConsoleSignInInput? input;
        try { input = JsonSerializer.Deserialize<ConsoleSignInInput>(body.Memory.Span, ApiJson.Options); }
        catch (JsonException) { return TypedResults.Problem("body must be {\"key\": \"…\"}", statusCode: StatusCodes.Status400BadRequest); }

        if (admin.RefuseSignIn(context, input?.Key) is { } refusal) return refusal;
        var (cookie, grant) = sessions.Issue();
        context.Response.Cookies.Append(AdminSession.CookieName, cookie, Options(context, grant.ExpiresAt));
        return TypedResults.Json(View(context, grant, adminMount), ApiJson.Options);
    }

    public IResult SignOut(HttpContext context)
    {
        if (sessions.Read(context.Request) is { } grant && !AdminSession.MayAct(context.Request, grant))
            return TypedResults.Problem($"sign-out needs the session's CSRF token in {AdminSession.CsrfHeader}", statusCode: StatusCodes.Status403Forbidden);
        context.Response.Cookies.Delete(AdminSession.CookieName, Options(context, null));
        return TypedResults.NoContent();
    }

    /// <summary>Path "/" so the cookie reaches the admin API beside the console (/admin on the Host, /manage on Functions).</summary>
    private CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = access.IsHttps(context),
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    private static ConsoleSessionView View(HttpContext context, SessionGrant grant, string adminMount) =>
        new(grant.CsrfToken, grant.ExpiresAt, context.Request.PathBase + adminMount);
}
