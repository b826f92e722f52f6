using MicAi.Core.WebUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Console;

/// <summary>The console's pages: HTML, CSS and JS modules embedded from Console/wwwroot.</summary>
public sealed class ConsolePages
{
    public EmbeddedAssets Assets { get; } = EmbeddedAssets.ForFolder("Console");
}

/// <summary>
/// The operator console capability: its pages and its session endpoints (<see cref="MapConsole"/>). Everything the
/// pages show or change goes through the admin API, with the session cookie instead of the key.
/// </summary>
public static class ConsoleServices
{
    /// <summary>Where the Host serves the console. On Functions it is <c>/manage/console</c> (the admin catch-all's mount).</summary>
    public const string HostMount = "/console";

    /// <summary>The console's endpoint group name: kept out of the admin OpenAPI document, served by the Functions catch-all.</summary>
    public const string GroupName = "console";

    public static IServiceCollection AddConsole(this IServiceCollection services) => services.AddSingleton<ConsolePages>().AddSingleton<ConsoleSession>();

    /// <summary>
    /// Maps the console at <paramref name="mount"/> (its page, its assets and <c>{mount}/api/session</c>) for the admin
    /// API at <paramref name="adminMount"/>. Both mounts end in <c>/console</c>, and the page refers to its files
    /// relatively (<c>console/assets/…</c>), so one page works under either.
    /// </summary>
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app, string mount, string adminMount)
    {
        var console = app.MapGroup(mount).WithGroupName(GroupName).WithBrowserSecurity();
        console.MapGet("", (ConsolePages pages, HttpContext context) =>
            // "/console/" would resolve the page's relative links one level too deep.
            context.Request.Path.Value!.EndsWith('/')
                ? Results.Redirect(context.Request.PathBase + context.Request.Path.Value.TrimEnd('/'))
                : pages.Assets.Serve("index.html", context.Response)!);
        app.ServiceProvider.GetRequiredService<ConsolePages>().Assets.MapAssets(console);

        var session = console.MapGroup("/api/session");
        session.MapGet("", (ConsoleSession s, HttpContext context) => s.Current(context, adminMount));
        session.MapPost("", (ConsoleSession s, HttpContext context, CancellationToken ct) => s.SignInAsync(context, adminMount, ct));
        session.MapDelete("", (ConsoleSession s, HttpContext context) => s.SignOut(context));
        return app;
    }
}
