using MicAi.Core.Configuration;
using MicAi.Core.Http;
using MicAi.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Admin;

/// <summary>Authentication and dispatch shared by every admin operation, on both the Host and Functions.</summary>
public sealed class AdminEndpoints(AdminHandlers handlers, MicAiSettings settings, ILogger<AdminEndpoints> log)
{
    public const string KeyHeader = "x-admin-key";

    private static readonly (AdminRoute Route, TemplateMatcher Matcher)[] Matchers =
        AdminRoutes.All.Select(r => (r, new TemplateMatcher(TemplateParser.Parse(r.Pattern.TrimStart('/')), new RouteValueDictionary()))).ToArray();

    public async Task<IResult> RunAsync(HttpContext context, AdminRoute route)
    {
        if (!IsAuthorized(context.Request))
        {
            AdminLog.Unauthorized(log, context.Connection.RemoteIpAddress?.ToString() ?? "?", route.Name);
            return TypedResults.Problem("missing or wrong admin key (x-admin-key or Authorization: Bearer)", statusCode: 401);
        }
        try
        {
            return await route.Handler(handlers, context);
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex))
        {
            return TypedResults.Problem("storage unavailable, retry later", statusCode: 503);
        }
    }

    /// <summary>For a catch-all route (Functions): finds the operation by method and path, then runs it.</summary>
    public Task<IResult> DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsAuthorized(request))
            return Task.FromResult<IResult>(TypedResults.Problem("missing or wrong admin key (x-admin-key or Authorization: Bearer)", statusCode: 401));
        var pathMatched = false;
        foreach (var (route, matcher) in Matchers)
        {
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch(request.Path, values)) continue;
            pathMatched = true;
            if (!HttpMethods.Equals(route.Method, request.Method)) continue;
            foreach (var (k, v) in values) request.RouteValues[k] = v;
            return RunAsync(context, route);
        }
        return Task.FromResult<IResult>(pathMatched
            ? TypedResults.Problem("method not allowed", statusCode: 405)
            : TypedResults.Problem("no such admin operation", statusCode: 404));
    }

    public bool IsAuthorized(HttpRequest request)
    {
        string? given = request.Headers[KeyHeader];
        if (string.IsNullOrEmpty(given))
        {
            var auth = request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) given = auth["Bearer ".Length..].Trim();
        }
        return SecretCompare.Equal(given, settings.AdminApiKey);
    }
}

internal static partial class AdminLog
{
    [LoggerMessage(7000, LogLevel.Warning, "Admin request refused from {RemoteAddress} for {Operation}: bad or missing key")]
    public static partial void Unauthorized(ILogger log, string remoteAddress, string operation);
}
