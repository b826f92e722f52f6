using System.Security.Cryptography;
using System.Text;

namespace MicAi.Core.Http;

/// <summary>Constant-time comparison of secrets; hashing first hides the length of the expected value too.</summary>
public static class SecretCompare
{
    public static bool Equal(string? given, string expected)
    {
        if (given is null) return false;
        Span<byte> a = stackalloc byte[32], b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(given), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
