using MicAi.Core.Admin;
using MicAi.Core.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Http;

/// <summary>Maps /health, /ready, /webhook and every admin operation from Core's one route table.</summary>
public static class EndpointMapping
{
    public static IEndpointRouteBuilder MapMicAi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (HealthEndpoints h) => h.Health());
        app.MapGet("/ready", (HealthEndpoints h, CancellationToken ct) => h.ReadyAsync(ct));
        app.MapGet("/webhook", (HttpRequest request, WebhookEndpoints w) => w.Verify(request));
        app.MapPost("/webhook", (HttpRequest request, WebhookEndpoints w, CancellationToken ct) => w.ReceiveAsync(request, ct));
        app.MapAdminRoutes();
        app.MapSimulator();
        return app;
    }
}
