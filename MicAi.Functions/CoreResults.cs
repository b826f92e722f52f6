using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MicAi.Functions;

/// <summary>
/// Core's handlers return <see cref="IResult"/>; the Functions ASP.NET Core integration only executes
/// <see cref="IActionResult"/>. So the result is written to the real response here and an empty action is returned.
/// </summary>
internal static class CoreResults
{
    public static async Task<IActionResult> WriteAsync(this IResult result, HttpRequest request)
    {
        await result.ExecuteAsync(request.HttpContext);
        return new EmptyResult();
    }
}
