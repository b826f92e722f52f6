using System.Net.Http.Headers;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// A failed Graph API call: the <c>error</c> object of the body plus the HTTP status, classified by
/// <see cref="GraphErrorCatalog"/>. <see cref="HttpStatus"/> 0 means no response arrived (timeout, network).
/// </summary>
public sealed record GraphError(
    int HttpStatus,
    int? Code,
    int? Subcode,
    string? Type,
    string Message,
    string? Details,
    string? FbTraceId,
    bool IsTransient)
{
    public GraphErrorClass Class => GraphErrorCatalog.Classify(HttpStatus, Code, IsTransient);
    public bool IsRetryable => Class == GraphErrorClass.Retryable;
    public bool IsFatalConfig => Class == GraphErrorClass.FatalConfig;

    /// <summary>131056 pair rate limit: back off for this recipient only; keep sending to others.</summary>
    public bool IsRecipientScoped => GraphErrorCatalog.IsRecipientScoped(Code);

    /// <summary>Throughput limit for the sending number: slow the whole sender down, not just this job.</summary>
    public bool ThrottlesSender => GraphErrorCatalog.ThrottlesSender(Code);

    /// <summary>Parses a Graph error body; never throws. Non-JSON bodies (proxies, HTML) keep only the status.</summary>
    public static GraphError Parse(int httpStatus, ReadOnlySpan<byte> body)
    {
        using var doc = JsonRead.TryParse(body);
        if (doc?.RootElement.Obj("error") is { } e)
        {
            return new GraphError(
                httpStatus,
                e.Int("code"),
                e.Int("error_subcode"),
                e.Str("type"),
                e.Str("message") ?? $"HTTP {httpStatus}",
                e.Obj("error_data")?.Str("details"),
                e.Str("fbtrace_id"),
                e.Bool("is_transient"));
        }
        return FromStatus(httpStatus);
    }

    public static GraphError Parse(int httpStatus, string? body) =>
        Parse(httpStatus, body is null ? [] : System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>An HTTP failure with no usable error body.</summary>
    public static GraphError FromStatus(int httpStatus) =>
        new(httpStatus, null, null, null, $"HTTP {httpStatus}", null, null, false);

    /// <summary>No response at all (timeout, DNS, connection reset): always retryable.</summary>
    public static GraphError Transport(string reason) =>
        new(0, null, null, null, reason, null, null, true);

    /// <summary>
    /// The wait a <c>Retry-After</c> header asks for: delta-seconds or an HTTP date relative to <paramref name="now"/>.
    /// Null when absent or unparseable; never negative.
    /// </summary>
    public static TimeSpan? RetryAfter(string? headerValue, DateTimeOffset now) =>
        !string.IsNullOrWhiteSpace(headerValue) && RetryConditionHeaderValue.TryParse(headerValue.Trim(), out var h)
            ? RetryAfter(h, now)
            : null;

    /// <inheritdoc cref="RetryAfter(string?, DateTimeOffset)"/>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        var wait = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
