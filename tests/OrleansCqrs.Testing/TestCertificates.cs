using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansCqrs.Testing;

/// <summary>
/// A cluster CA and its certificates as PEM files in a temporary folder, made in-process as scripts/cluster-certs.sh
/// makes them with openssl: silos get server and client authentication, front ends client authentication only.
/// Each instance is its own CA, so a second one is "another CA".
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;

    private TestCertificates(string name)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("orleanscqrs-certs-").FullName;
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // The CA outlives every certificate it issues later (a certificate may not end after its issuer).
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        CaPath = Path.Combine(Directory, "ca.crt");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
        Silo = Issue("silo", server: true);
        FrontEnd = Issue("frontend", server: false);
    }

    public string Directory { get; }

    public string CaPath { get; }

    public PemPair Silo { get; }

    public PemPair FrontEnd { get; }

    /// <summary>A new CA (named <paramref name="name"/>) with a silo and a front-end certificate.</summary>
    public static TestCertificates Create(string name = "OrleansCqrs test CA") => new(name);

    /// <summary>
    /// A certificate of this CA: with server and client authentication if <paramref name="server"/>, else client
    /// authentication only.
    /// </summary>
    public PemPair Issue(string name, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=orleanscqrs-{name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            server ? new OidCollection { ServerAuthentication, ClientAuthentication } : new OidCollection { ClientAuthentication },
            false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));
        var pair = new PemPair(Path.Combine(Directory, $"{name}.crt"), Path.Combine(Directory, $"{name}.key"));
        File.WriteAllText(pair.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(pair.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return pair;
    }

    /// <summary>The <c>OrleansCqrs:Tls</c> settings of a process presenting <paramref name="certificate"/>, as environment variables.</summary>
    public Dictionary<string, string> Environment(PemPair certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OrleansCqrs__Tls__Enabled"] = "true",
            ["OrleansCqrs__Tls__CertificatePath"] = certificate.CertificatePath,
            ["OrleansCqrs__Tls__KeyPath"] = certificate.KeyPath,
            ["OrleansCqrs__Tls__CaPath"] = CaPath,
        };
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
