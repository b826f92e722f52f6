using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.WhatsApp;

public static class WhatsAppServices
{
    /// <summary>Meta's side: the number, the tokens and the Graph API version (the protocol itself is static code).</summary>
    public static IServiceCollection AddWhatsApp(this IServiceCollection services, WhatsAppSettings settings) =>
        services.AddSingleton(settings);
}
