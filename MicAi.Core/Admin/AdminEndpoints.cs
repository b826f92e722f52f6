using MicAi.Core.Http;
using MicAi.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Admin;

/// <summary>Access checks and dispatch shared by every admin operation, on both the Host and Functions.</summary>
public sealed class AdminEndpoints(AdminHandlers handlers, AdminAccess access, AdminSettings settings, ILogger<AdminEndpoints> log)
{
    public const string KeyHeader = "x-admin-key";

    private static readonly (AdminRoute Route, TemplateMatcher Matcher)[] Matchers =
        AdminRoutes.All.Select(r => (r, new TemplateMatcher(TemplateParser.Parse(r.Pattern.TrimStart('/')), new RouteValueDictionary()))).ToArray();

    public async Task<IResult> RunAsync(HttpContext context, AdminRoute route) =>
        Refuse(context, route.Name) ?? await ExecuteAsync(context, route);

    /// <summary>
    /// For a catch-all route (Functions): checks access once, finds the operation by method and path, runs it. The API is
    /// mounted at <paramref name="mount"/> (e.g. <c>/manage</c>): <c>{mount}/stats</c> is the table's <c>/admin/stats</c>.
    /// </summary>
    public Task<IResult> DispatchAsync(HttpContext context, string mount)
    {
        var request = context.Request;
        if (Refuse(context, request.Path) is { } refused) return Task.FromResult(refused);
        var (route, values, pathExists) = request.Path.StartsWithSegments(mount, StringComparison.OrdinalIgnoreCase, out var rest)
            ? Match(request.Method, AdminRoutes.Base + rest)
            : (null, [], false);
        if (route is null)
            return Task.FromResult<IResult>(pathExists
                ? TypedResults.Problem("method not allowed", statusCode: 405)
                : TypedResults.Problem("no such admin operation", statusCode: 404));
        foreach (var (k, v) in values) request.RouteValues[k] = v;
        return ExecuteAsync(context, route);
    }

    /// <summary>The route for a method and path with its route values; PathExists when only the method differs.</summary>
    public static (AdminRoute? Route, RouteValueDictionary Values, bool PathExists) Match(string method, string path)
    {
        var pathExists = false;
        foreach (var (route, matcher) in Matchers)
        {
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch(path, values)) continue;
            if (HttpMethods.Equals(route.Method, method)) return (route, values, true);
            pathExists = true;
        }
        return (null, [], pathExists);
    }

    public bool IsAuthorized(HttpRequest request)
    {
        string? given = request.Headers[KeyHeader];
        if (string.IsNullOrEmpty(given))
        {
            var auth = request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) given = auth["Bearer ".Length..].Trim();
        }
        return SecretCompare.Equal(given, settings.ApiKey);
    }

    /// <summary>The refusal (403 outside the allowlist, 429 after too many failures, 401 bad key), or null to go on.</summary>
    private IResult? Refuse(HttpContext context, string operation)
    {
        var client = access.ClientAddress(context);
        var address = client?.ToString() ?? "?";
        if (!access.IsAllowed(client))
        {
            AdminLog.Forbidden(log, address, operation);
            return TypedResults.Problem("this address may not use the admin API", statusCode: 403);
        }
        if (access.IsLockedOut(client)) return TooMany(context);
        if (IsAuthorized(context.Request)) return null;
        if (!access.RecordFailure(client))
        {
            AdminLog.LockedOut(log, address);
            return TooMany(context);
        }
        AdminLog.Unauthorized(log, address, operation);
        return TypedResults.Problem("missing or wrong admin key (x-admin-key or Authorization: Bearer)", statusCode: 401);
    }

    private static IResult TooMany(HttpContext context)
    {
        context.Response.Headers.RetryAfter = ((int)AdminAccess.LockoutWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem("too many failed admin authentications from this address; retry later", statusCode: 429);
    }

    private async Task<IResult> ExecuteAsync(HttpContext context, AdminRoute route)
    {
        try
        {
            return await route.Handler(handlers, context);
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex))
        {
            return TypedResults.Problem("storage unavailable, retry later", statusCode: 503);
        }
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
