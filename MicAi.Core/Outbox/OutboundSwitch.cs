using MicAi.Core.Configuration;

namespace MicAi.Core.Outbox;

/// <summary>Effective outbound = MICAI_OUTBOUND_REPLY_ENABLED (deploy-time) AND not paused at runtime.</summary>
public sealed class OutboundSwitch(MicAiSettings settings)
{
    public bool EnvEnabled => settings.OutboundReplyEnabled;

    public bool IsOpen => EnvEnabled;
}
