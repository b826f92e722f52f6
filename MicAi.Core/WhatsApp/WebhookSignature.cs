using System.Security.Cryptography;
using System.Text;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// Meta signs every webhook POST with <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of the raw
/// body bytes keyed by the app secret. Verify over the bytes exactly as received: re-serialised JSON never matches.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";
    private const int HashBytes = 32;

    /// <summary>The header value Meta would send for <paramref name="body"/> ("sha256=" + lowercase hex).</summary>
    public static string Compute(string appSecret, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HashBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body, mac);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// True only when <paramref name="header"/> is a well-formed <c>sha256=</c> value matching the body.
    /// Missing, empty or malformed headers are false, never exceptions. Hex case is ignored.
    /// </summary>
    public static bool Verify(string appSecret, ReadOnlySpan<byte> body, string? header)
    {
        if (string.IsNullOrEmpty(appSecret) || header is null) return false;
        var value = header.AsSpan().Trim();
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var hex = value[Prefix.Length..];
        if (hex.Length != HashBytes * 2) return false;

        Span<byte> given = stackalloc byte[HashBytes];
        if (Convert.FromHexString(hex, given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != HashBytes)
            return false;

        Span<byte> expected = stackalloc byte[HashBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body, expected);
        // Constant time: timing must not reveal how many leading bytes of a forged signature were right.
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
