using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.FunctionsStandIn;

/// <summary>
/// What the host made of an app: the functions in error with the host's messages, and the HTTP routes it mapped.
/// Routes are built like the host's WebJobsRouteBuilder (Microsoft.Azure.WebJobs.Extensions.Http): the template is
/// "{routePrefix}/{route}" (just the route when the prefix is empty) given to ASP.NET Core's Route with the inline
/// constraint resolver, so a template ASP.NET Core cannot parse, or a constraint it does not know, is refused here
/// as it is there. Requests are matched most specific route first, as the host orders them.
/// </summary>
public sealed class HostLoad(string routePrefix)
{
    private static readonly IInlineConstraintResolver Constraints =
        new ServiceCollection().AddRouting().BuildServiceProvider().GetRequiredService<IInlineConstraintResolver>();

    private readonly Dictionary<string, List<string>> errors = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(HttpTrigger Trigger, Route Route)> routes = [];

    public string RoutePrefix { get; } = routePrefix;

    public IReadOnlyDictionary<string, List<string>> Errors => errors;

    public IEnumerable<HttpTrigger> HttpTriggers => routes.Select(r => r.Trigger);

    public void AddError(string function, string error) =>
        (errors.TryGetValue(function, out var list) ? list : errors[function] = []).Add(error);

    /// <summary>ScriptHost.ValidateFunction (conflicts, unique names), then the route as the routes manager maps it.</summary>
    public void AddHttp(HttpTrigger trigger)
    {
        foreach (var (other, _) in routes)
            if (trigger.ConflictsWith(other))
                throw new InvalidOperationException($"The route specified conflicts with the route defined by function '{other.Function}'.");
        if (routes.Any(r => r.Trigger.Function.Equals(trigger.Function, StringComparison.Ordinal)))
            throw new InvalidOperationException($"The function or proxy name '{trigger.Function}' must be unique within the function app.");
        var template = string.IsNullOrEmpty(RoutePrefix) ? trigger.Route : RoutePrefix + "/" + trigger.Route;
        Route route;
        try
        {
            route = new Route(new RouteHandler(_ => Task.CompletedTask), trigger.Function, template, null, null, null, Constraints);
        }
        catch (Exception ex) when (ex is RouteCreationException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The host cannot map the route template '{template}': {ex.Message}", ex);
        }
        routes.Add((trigger, route));
    }

    /// <summary>Fails with every function in error, one host log line each.</summary>
    public void ThrowIfAnyError()
    {
        if (errors.Count > 0)
            throw new FunctionsHostRefusedException(errors.SelectMany(e => e.Value.Select(m => $"The '{e.Key}' function is in error: {m}")).ToList());
    }

    /// <summary>The function the host routes a request to, or null (the host answers 404).</summary>
    public string? Route(string method, string path)
    {
        foreach (var (trigger, route) in routes.OrderBy(r => RoutePrecedence.ComputeInbound(r.Route.ParsedTemplate)))
        {
            if (trigger.Methods is not null && !trigger.Methods.Contains(method, StringComparer.OrdinalIgnoreCase)) continue;
            if (new TemplateMatcher(route.ParsedTemplate, route.Defaults).TryMatch(new PathString(path), new RouteValueDictionary())) return trigger.Function;
        }
        return null;
    }
}

/// <summary>host.json as the host reads it (WebJobs.Script/Config/HostJsonFileConfigurationSource, HttpOptions).</summary>
public static class HostJson
{
    /// <summary>version must be "2.0"; extensions.http.routePrefix defaults to "api", and "" means none.</summary>
    public static string RoutePrefix(JsonNode hostJson)
    {
        var version = hostJson["version"]?.GetValue<string>();
        if (version is null) throw new FunctionsHostRefusedException(["The host.json file is missing the required 'version' property."]);
        if (version != "2.0") throw new FunctionsHostRefusedException([$"'{version}' is an invalid value for host.json 'version' property."]);
        return hostJson["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
    }
}

/// <summary>The stand-in host refuses what the real one would not load.</summary>
public sealed class FunctionsHostRefusedException(IReadOnlyList<string> errors)
    : Exception("The Functions host would not load this app:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
