using MicAi.Core.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MicAi.Functions;

/// <summary>
/// Every admin operation through one catch-all that runs the admin endpoints the Host maps (Core's AdminCatchAll), so
/// the Host and Functions expose the same API. The Functions host refuses any function route that starts with "admin" or "runtime" (its own built-in
/// routes, ScriptHost.ValidateHttpFunction in Azure/azure-functions-host), so the API lives under /manage here;
/// the operator console is served beside it at /manage/console. Anonymous at the Functions level: MicAi's own admin key
/// (x-admin-key or Bearer) protects it, and no function key is required on top.
/// </summary>
public sealed class AdminFunction(AdminCatchAll admin)
{
    /// <summary>The mount of the admin API on Functions; host.json's routePrefix is empty, so this is the URL path.</summary>
    public const string Mount = "/manage";

    [Function("Admin")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "manage/{*path}")] HttpRequest req)
    {
        await admin.InvokeAsync(req.HttpContext, Mount);
        return new EmptyResult(); // the response is written; the Functions proxy has nothing more to execute
    }
}
