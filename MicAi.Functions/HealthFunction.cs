using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MicAi.Functions;

public sealed class HealthFunction
{
    [Function("Health")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req)
    {
        // The ASP.NET Core integration executes IActionResult only, so Core's IResult is written here.
        await Results.Json(new { status = "ok" }).ExecuteAsync(req.HttpContext);
        return new EmptyResult();
    }
}
