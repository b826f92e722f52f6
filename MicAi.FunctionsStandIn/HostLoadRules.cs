using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MicAi.FunctionsStandIn;

/// <summary>One function as the host reads it: its name and the JSON of its bindings.</summary>
public sealed record FunctionDefinition(string Name, IReadOnlyList<JsonObject> Bindings)
{
    /// <summary>An entry of the functions.metadata file the Functions SDK generates.</summary>
    public static FunctionDefinition FromMetadataFile(JsonObject function) => new(
        function["name"]!.GetValue<string>(), function["bindings"]!.AsArray().Cast<JsonObject>().ToList());

    /// <summary>An entry of the worker's FunctionMetadataResponse (worker indexing): bindings come as raw JSON strings.</summary>
    public static FunctionDefinition FromWorker(JsonObject function) => new(
        function["name"]!.GetValue<string>(),
        function["rawBindings"]!.AsArray().Select(b => (JsonObject)JsonNode.Parse(b!.GetValue<string>())!).ToList());
}

/// <summary>
/// The checks the real Functions host makes when it loads an app, so a function it would refuse fails the tests
/// instead of silently not existing in production. Each rule names the azure-functions-host (or WebJobs SDK) source
/// it follows; the messages are the host's, so a test failure reads like the host's log line
/// "The 'X' function is in error: ...". Functions are checked in the host's order (by name, ignoring case), and
/// route conflicts are reported on the later function, as the host does.
/// </summary>
public static class HostLoadRules
{
    // WebJobs.Script/Utility.cs (FunctionNameValidationRegex, ValidateName).
    private static readonly Regex FunctionName = new(@"^[a-z][a-z0-9_\-]{0,127}$(?<!^host$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // WebJobs.Script/Utility.cs (BindingNameValidationRegex, ValidateBinding).
    private static readonly Regex BindingName = new(@"^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$");

    // Route prefixes the host keeps for its own controllers: WebJobs.Script/Host/ScriptHost.cs, ValidateHttpFunction.
    // It compares the start of the trigger's own route (trimmed of '/', lower-cased) as a string, not a segment, and
    // before any routePrefix: "administration/x" is refused too, and "api/admin/x" is not.
    public static readonly IReadOnlyList<string> ReservedRoutePrefixes = ["admin", "runtime"];

    public static HostLoad Load(IEnumerable<FunctionDefinition> functions, JsonNode hostJson, Func<string, string?> appSetting)
    {
        var routePrefix = HostJson.RoutePrefix(hostJson);
        var load = new HostLoad(routePrefix);
        // FunctionMetadataManager.LoadFunctionMetadata orders by name (OrdinalIgnoreCase) before validating.
        foreach (var function in functions.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                var trigger = ValidateBindings(function);
                var type = trigger["type"]!.GetValue<string>();
                if (type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase)) load.AddHttp(HttpTriggerOf(function, trigger));
                else if (type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase)) TimerSchedules.Validate(trigger, appSetting);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
            {
                load.AddError(function.Name, ex.Message);
            }
        }
        return load;
    }

    /// <summary>Utility.ValidateName and FunctionDescriptorProvider.ValidateFunction/ValidateBinding; returns the trigger.</summary>
    private static JsonObject ValidateBindings(FunctionDefinition function)
    {
        if (!FunctionName.IsMatch(function.Name)) throw new InvalidOperationException($"'{function.Name}' is not a valid function name.");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var binding in function.Bindings)
        {
            var name = binding["name"]?.GetValue<string>();
            if (name is null || !BindingName.IsMatch(name))
                throw new ArgumentException($"The binding name {name} is invalid. Please assign a valid name to the binding.");
            if (name == "$return" && !"out".Equals(binding["direction"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException("$return bindings must specify a direction of 'out'.");
            if (!names.Add(name))
                throw new InvalidOperationException($"Multiple bindings with name '{name}' discovered. Binding names must be unique.");
            if (binding["type"] is null) throw new ArgumentException($"Binding '{name}' is invalid. Bindings must specify a Type.");
        }
        // ScriptBindingContext: a trigger is a binding whose type ends with "trigger"; triggers are input bindings.
        var triggers = function.Bindings.Where(b => b["type"]!.GetValue<string>().EndsWith("trigger", StringComparison.OrdinalIgnoreCase)
                                                   && !"out".Equals(b["direction"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase)).ToList();
        return triggers.Count switch
        {
            0 => throw new InvalidOperationException("No trigger binding specified. A function must have a trigger input binding."),
            1 => triggers[0],
            _ => throw new InvalidOperationException("Multiple trigger bindings defined. A function can only have a single trigger binding."),
        };
    }

    /// <summary>
    /// The HttpTriggerAttribute the host builds from the binding (GeneralScriptBindingProvider over the WebJobs
    /// metadata provider; authLevel parsed as the AuthorizationLevel enum, ignoring case, default Function), then
    /// ScriptHost.ValidateHttpFunction: no route means the function name; reserved prefixes are refused.
    /// </summary>
    private static HttpTrigger HttpTriggerOf(FunctionDefinition function, JsonObject trigger)
    {
        if (trigger["authLevel"]?.GetValue<string>() is { Length: > 0 } level && !Enum.TryParse<AuthorizationLevel>(level, ignoreCase: true, out _))
            throw new InvalidOperationException($"Unable to configure binding '{trigger["name"]}' of type 'httpTrigger'. This may indicate invalid function.json properties (authLevel '{level}')");
        var methods = trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>()).ToArray();
        var route = trigger["route"]?.GetValue<string>() is { } r && !string.IsNullOrWhiteSpace(r) ? r : function.Name;
        var normalized = route.Trim('/').ToLowerInvariant();
        if (ReservedRoutePrefixes.Any(p => normalized.StartsWith(p, StringComparison.Ordinal)))
            throw new InvalidOperationException("The specified route conflicts with one or more built in routes.");
        return new HttpTrigger(function.Name, route, methods is { Length: > 0 } ? methods : null);
    }

    /// <summary>Microsoft.Azure.WebJobs.Extensions.Http's AuthorizationLevel, the enum authLevel must name.</summary>
    private enum AuthorizationLevel { Anonymous = 0, User = 1, Function = 2, System = 3, Admin = 4 }
}

/// <summary>An HTTP trigger after validation: the function, its route (without the prefix) and methods (null = all).</summary>
public sealed record HttpTrigger(string Function, string Route, string[]? Methods)
{
    /// <summary>ScriptHost.HttpRoutesConflict: the same route (ignoring '/' at the ends and case) and a method in common.</summary>
    public bool ConflictsWith(HttpTrigger other) =>
        string.Equals(Route.Trim('/'), other.Route.Trim('/'), StringComparison.OrdinalIgnoreCase)
        && (Methods is null || other.Methods is null || Methods.Intersect(other.Methods).Any());
}
