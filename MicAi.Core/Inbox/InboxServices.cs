using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Inbox;

public static class InboxServices
{
    /// <summary>Meta's webhook: store each delivered message once, apply statuses to the ledger, enqueue the new ones.</summary>
    public static IServiceCollection AddInbox(this IServiceCollection services, InboxSettings settings) =>
        services.AddSingleton(settings).AddSingleton<InboundStore>().AddSingleton<HandoverStore>().AddSingleton<IngestWebhook>().AddSingleton<WebhookEndpoints>()
            .AddSingleton<Queue.IPythonJobImporter, PythonJobImporter>(); // jobs the Python service left in Redis
}
