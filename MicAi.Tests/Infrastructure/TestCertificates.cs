using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MicAi.Tests.Infrastructure;

/// <summary>Certificates a test makes itself, e.g. a CA that did not issue the rig's server certificate.</summary>
public static class TestCertificates
{
    public static string SelfSignedCaPem(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return cert.ExportCertificatePem();
    }
}
