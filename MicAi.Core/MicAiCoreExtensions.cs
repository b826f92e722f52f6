using MicAi.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MicAi.Core;

/// <summary>The one composition root shared by MicAi.Host and MicAi.Functions.</summary>
public static class MicAiCoreExtensions
{
    public static IHostApplicationBuilder AddMicAiCore(this IHostApplicationBuilder builder)
    {
        var settings = MicAiSettings.Load(key => builder.Configuration[key], SecretSource.Default);
        builder.Services.AddSingleton(settings).AddSingleton(settings.WhatsApp);
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
