using MicAi.Core.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MicAi.Functions;

/// <summary>
/// Every admin operation through one catch-all over Core's route table, so the Host and Functions expose the same
/// API. Anonymous at the Functions level: MicAi's own admin key (x-admin-key or Bearer) protects it, and no function
/// key is required on top.
/// </summary>
public sealed class AdminFunction(AdminEndpoints admin)
{
    [Function("Admin")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "admin/{*path}")] HttpRequest req) =>
        await (await admin.DispatchAsync(req.HttpContext)).WriteAsync(req);
}
