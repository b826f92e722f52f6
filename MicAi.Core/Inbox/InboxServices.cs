using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Inbox;

public static class InboxServices
{
    /// <summary>Ingest: store each delivered message once, apply statuses, enqueue the new ones.</summary>
    public static IServiceCollection AddInbox(this IServiceCollection services, InboxSettings settings) =>
        services.AddSingleton(settings).AddSingleton<InboundStore>().AddSingleton<StatusApplier>().AddSingleton<IngestWebhook>();
}
