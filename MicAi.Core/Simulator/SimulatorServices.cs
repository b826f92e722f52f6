using MicAi.Core.Configuration;
using MicAi.Core.WebUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Simulator;

/// <summary>The simulator capability: its settings and services (<see cref="AddSimulator"/>) and its routes (<see cref="MapSimulator"/>).</summary>
public static class SimulatorServices
{
    public const string Page = "/simulator";
    public const string GraphPath = "/simulator/graph";

    /// <summary>When the simulator is on, registers it. Off, only the settings are registered and nothing else changes.</summary>
    public static IServiceCollection AddSimulator(this IServiceCollection services, SimulatorSettings settings)
    {
        services.AddSingleton(settings);
        if (!settings.Enabled) return services;
        services.AddSingleton<SimulatorStore>().AddSingleton<StatusPump>().AddSingleton<GraphStandIn>().AddSingleton<SimulatorApi>();
        services.AddSingleton(_ => EmbeddedAssets.ForFolder("Simulator"));
        services.AddHttpClient<WebhookPoster>(WebhookPoster.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        return services;
    }

    /// <summary>Maps /simulator (page, assets, API) and /simulator/graph when the simulator is on; otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapSimulator(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<SimulatorSettings>() is not { Enabled: true }) return app;
        SimulatorLog.Enabled(app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SimulatorServices)));

        var page = app.MapGroup(Page).WithBrowserSecurity();
        page.MapGet("/", (EmbeddedAssets assets, HttpResponse response) => assets.Serve("index.html", response)!);
        app.ServiceProvider.GetRequiredService<EmbeddedAssets>().MapAssets(page);

        var api = page.MapGroup("/api");
        api.MapGet("/config", (SimulatorApi s) => s.GetConfig());
        api.MapGet("/customers", (SimulatorApi s) => s.Customers());
        api.MapPost("/customers", (SimulatorApi s, HttpRequest request, CancellationToken ct) => s.AddCustomerAsync(request, ct));
        api.MapGet("/customers/{id}", (string id, SimulatorApi s) => s.Conversation(id));
        api.MapPost("/customers/{id}/messages", (string id, SimulatorApi s, HttpRequest request, CancellationToken ct) => s.SendAsync(id, request, ct));
        api.MapPost("/customers/{id}/seen", (string id, SimulatorApi s, HttpRequest request) => s.Seen(id, request));
        api.MapGet("/events", (SimulatorApi s, CancellationToken ct) => s.Events(ct));

        var graph = app.MapGroup(GraphPath);
        graph.MapPost("/{version}/{phoneNumberId}/messages", (string version, string phoneNumberId, GraphStandIn g, HttpRequest request, CancellationToken ct) =>
            g.MessagesAsync(version, phoneNumberId, request, ct));
        graph.Map("/{**path}", (string? path, GraphStandIn g, HttpRequest request) => g.Unsupported(request, path));
        return app;
    }
}
