namespace MicAi.Core.WhatsApp;

/// <summary>What the sender does with a failed Graph call.</summary>
public enum GraphErrorClass
{
    /// <summary>Try the same request again later (backoff); the job stays alive.</summary>
    Retryable,
    /// <summary>This request can never succeed as-is: mark failed / dead-letter, no retry.</summary>
    Permanent,
    /// <summary>Our configuration is broken (token, number registration, policy block): pause outbound and alert.</summary>
    FatalConfig,
}

/// <summary>
/// Classifies Graph errors by <c>error.code</c> first, as Meta advises (HTTP status and subcodes are secondary):
/// <code>
/// FatalConfig  0 auth · 3 capability · 10 and 200–299 permission · 190 token · 368 policy block ·
///              131031 account locked · 131042 payment · 133010 number not registered
/// Retryable    1 · 2 · 4 app rate · 17 · 341 · 80007 WABA rate · 130429 throughput · 131000 generic ·
///              131016 service unavailable · 131056 pair rate (this recipient only) · 131057 maintenance ·
///              133004 server unavailable · any is_transient=true
/// otherwise    HTTP 429, 408 or 5xx (also no response at all) → Retryable; HTTP 401/403 without a code →
///              FatalConfig; everything else (100 bad param, 131026 undeliverable, 131047 window closed,
///              131051 unsupported type, 132xxx template …) → Permanent
/// </code>
/// </summary>
public static class GraphErrorCatalog
{
    private static readonly HashSet<int> FatalCodes = [0, 3, 10, 190, 368, 131031, 131042, 133010];
    private static readonly HashSet<int> RetryableCodes = [1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056, 131057, 133004];
    // Known permanent even when Meta pairs them with a 5xx: retrying cannot change the outcome.
    private static readonly HashSet<int> PermanentCodes = [100, 131008, 131009, 131021, 131026, 131047, 131051];

    /// <summary>Codes that mean "slow down this sending phone number", not just this one request.</summary>
    private static readonly HashSet<int> ThrottleCodes = [4, 80007, 130429];

    /// <param name="httpStatus">0 when no response arrived (timeout, connection reset).</param>
    public static GraphErrorClass Classify(int httpStatus, int? code, bool isTransient)
    {
        if (code is { } c)
        {
            if (FatalCodes.Contains(c) || c is >= 200 and <= 299) return GraphErrorClass.FatalConfig;
            if (RetryableCodes.Contains(c) || isTransient) return GraphErrorClass.Retryable;
            if (PermanentCodes.Contains(c)) return GraphErrorClass.Permanent;
        }
        else if (isTransient)
        {
            return GraphErrorClass.Retryable;
        }
        return httpStatus switch
        {
            0 or 408 or 429 or >= 500 => GraphErrorClass.Retryable,
            401 or 403 when code is null => GraphErrorClass.FatalConfig,
            _ => GraphErrorClass.Permanent,
        };
    }

    /// <summary>131056: the (business, consumer) pair is rate limited; other recipients are unaffected.</summary>
    public static bool IsRecipientScoped(int? code) => code == 131056;

    /// <summary>Throughput limits for the whole sender: lower the send rate for the phone number id.</summary>
    public static bool ThrottlesSender(int? code) => code is { } c && ThrottleCodes.Contains(c);
}
