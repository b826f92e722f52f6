using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Configuration;

public static class ConfigurationServices
{
    /// <summary>The process-wide settings (which environment this is).</summary>
    public static IServiceCollection AddConfiguration(this IServiceCollection services, AppSettings settings) =>
        services.AddSingleton(settings);
}
