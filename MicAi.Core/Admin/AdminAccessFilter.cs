using System.Globalization;
using MicAi.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Admin;

/// <summary>
/// Who may call the admin API, checked before anything else on every admin endpoint (an endpoint filter on the admin
/// group) and, on the Functions catch-all, before a path that names no operation is answered: 403 outside
/// MICAI_ADMIN_ALLOWED_CIDRS, 429 after too many failed keys from the client's address, 401 for a missing or wrong key
/// (<c>x-admin-key</c> or <c>Authorization: Bearer</c>). Without a key, the operator console's session cookie stands for
/// it (<see cref="AdminSession"/>), and a state change with it needs the session's CSRF token (else 403). The same rules
/// on the Host and on Functions.
/// </summary>
public sealed class AdminAccessFilter(AdminAccess access, AdminSettings settings, AdminSession session, ILogger<AdminAccessFilter> log) : IEndpointFilter
{
    public const string KeyHeader = "x-admin-key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? http.Request.Path.ToString();
        return Refuse(http, operation) ?? await next(context);
    }

    /// <summary>The refusal (403 outside the allowlist, 429 after too many failures, 401 bad key, 403 a session without its CSRF token), or null to go on.</summary>
    public IResult? Refuse(HttpContext context, string operation) => Decide(context, operation, Authorize(context.Request));

    /// <summary>The console's sign-in: the same allowlist, limiter and key check, with the key from the sign-in form.</summary>
    public IResult? RefuseSignIn(HttpContext context, string? key) =>
        Decide(context, "ConsoleSignIn", SecretCompare.Equal(key, settings.ApiKey) ? Access.Granted : Access.Denied);

    private enum Access { Granted, Denied, NoCsrfToken }

    private IResult? Decide(HttpContext context, string operation, Access verdict)
    {
        var client = access.ClientAddress(context);
        var address = client?.ToString() ?? "?";
        if (!access.IsAllowed(client))
        {
            AdminLog.Forbidden(log, address, operation);
            return TypedResults.Problem("this address may not use the admin API", statusCode: StatusCodes.Status403Forbidden);
        }
        if (access.IsLockedOut(client)) return TooMany(context);
        if (verdict == Access.Granted) return null;
        if (verdict == Access.NoCsrfToken)
            return TypedResults.Problem($"a state change with the console session needs its CSRF token in {AdminSession.CsrfHeader}", statusCode: StatusCodes.Status403Forbidden);
        if (!access.RecordFailure(client))
        {
            AdminLog.LockedOut(log, address);
            return TooMany(context);
        }
        AdminLog.Unauthorized(log, address, operation);
        return TypedResults.Problem("missing or wrong admin key (x-admin-key or Authorization: Bearer)", statusCode: StatusCodes.Status401Unauthorized);
    }

    /// <summary>A key given is judged alone (as before the console); with none, the console's session, if any.</summary>
    private Access Authorize(HttpRequest request)
    {
        string? given = request.Headers[KeyHeader];
        if (string.IsNullOrEmpty(given))
        {
            var auth = request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) given = auth["Bearer ".Length..].Trim();
        }
        if (!string.IsNullOrEmpty(given) || session.Read(request) is not { } grant)
            return SecretCompare.Equal(given, settings.ApiKey) ? Access.Granted : Access.Denied;
        return AdminSession.MayAct(request, grant) ? Access.Granted : Access.NoCsrfToken;
    }

    private static IResult TooMany(HttpContext context)
    {
        context.Response.Headers.RetryAfter = ((int)AdminAccess.LockoutWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem("too many failed admin authentications from this address; retry later", statusCode: StatusCodes.Status429TooManyRequests);
    }
}

internal static partial class AdminLog
{
    [LoggerMessage(7000, LogLevel.Warning, "Admin request refused from {RemoteAddress} for {Operation}: bad or missing key")]
    public static partial void Unauthorized(ILogger log, string remoteAddress, string operation);

    [LoggerMessage(7001, LogLevel.Warning, "Admin request refused from {RemoteAddress} for {Operation}: address not in MICAI_ADMIN_ALLOWED_CIDRS")]
    public static partial void Forbidden(ILogger log, string remoteAddress, string operation);

    [LoggerMessage(7002, LogLevel.Warning, "Admin authentication failures from {RemoteAddress} over the limit: refusing for a minute")]
    public static partial void LockedOut(ILogger log, string remoteAddress);
}
