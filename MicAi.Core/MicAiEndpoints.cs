using MicAi.Core.Admin;
using MicAi.Core.Agents;
using MicAi.Core.Console;
using MicAi.Core.Http;
using MicAi.Core.Inbox;
using MicAi.Core.Media;
using MicAi.Core.Operators;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Core.Simulator;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core;

/// <summary>
/// The HTTP composition root, beside <see cref="MicAiCoreExtensions"/>: every route MicAi serves, each capability
/// mapping its own endpoints. The Host maps it all; the Functions app maps health and the webhook as functions and
/// runs <see cref="MapAdminApi"/> behind its admin catch-all (<see cref="AdminCatchAll"/>).
/// </summary>
public static class MicAiEndpoints
{
    public static IEndpointRouteBuilder MapMicAi(this IEndpointRouteBuilder app)
    {
        app.MapHealth();
        app.MapWebhook();
        app.MapMetrics(); // GET /metrics (Prometheus), behind the admin key
        app.MapAdminApi(AdminApi.HostMount);
        app.MapConsole(ConsoleServices.HostMount, AdminApi.HostMount);
        app.MapSimulator(); // maps nothing unless MICAI_SIMULATOR is on (never in prod)
        return app;
    }

    /// <summary>What the Functions catch-all serves at <paramref name="mount"/>: the admin API and the console at <c>{mount}/console</c>.</summary>
    public static RouteGroupBuilder MapAdminApiAndConsole(this IEndpointRouteBuilder app, string mount) =>
        app.MapConsole(mount + ConsoleServices.HostMount, mount).MapAdminApi(mount);

    /// <summary>The admin API at <paramref name="mount"/>: one line per resource. A new resource is one more line here.</summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app, string mount) =>
        app.MapAdmin(mount)
            .MapAgents()
            .MapRules()
            .MapContacts()
            .MapSchedules()
            .MapOutbound()
            .MapOperators()
            .MapDeadJobs()
            .MapMedia();
}
