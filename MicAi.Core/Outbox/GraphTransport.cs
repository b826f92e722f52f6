using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace MicAi.Core.Outbox;

/// <summary>
/// Transport-level resilience for the Graph client. A message POST is not idempotent at Meta, so only failures that
/// prove the request never left this process (DNS, connect, TLS handshake, proxy tunnel) are retried here, quickly
/// and a couple of times. Anything that may have reached Meta (a timeout, a connection dropped mid-exchange, any HTTP
/// response) is returned to the sender, which records it and leaves the decision to the job-level retry.
/// </summary>
public static class GraphTransport
{
    /// <summary>Per attempt. A send that takes longer is treated as "outcome unknown".</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    public static IHttpClientBuilder AddGraphResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("graph-transport", pipeline => pipeline
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && NeverSent(ex)),
            })
            .AddTimeout(AttemptTimeout));
        return builder;
    }

    /// <summary>The failure happened before any byte of the request could reach the server.</summary>
    public static bool NeverSent(Exception ex) => ex is HttpRequestException
    {
        HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
    };

    /// <summary>No HTTP response at all (as opposed to an error response).</summary>
    public static bool IsTransportFailure(Exception ex) =>
        ex is HttpRequestException or TaskCanceledException or TimeoutRejectedException;
}
