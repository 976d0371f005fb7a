using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Mutual TLS on every Orleans connection of a cluster: each side presents a certificate of the cluster CA and
/// checks the other's (<see cref="ClusterTrust"/>). Silo-to-silo connections, both ways, accept only silo
/// certificates, so a front end's key cannot make its holder a silo; gateways accept any cluster certificate.
/// </summary>
public static class ClusterTls
{
    private const string Section = $"{OrleansCqrsSettings.SectionName}:Tls";

    /// <summary>TLS on this silo's silo and gateway listeners and on its connections to other silos.</summary>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, TlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var (certificate, authority) = Load(settings, ClusterRole.Silo);
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<ILoggerFactory>((options, loggers) =>
        {
            var trust = new ClusterTrust(authority, loggers.CreateLogger<ClusterTrust>());
            var siloPeers = Options(settings, certificate, peer => trust.Accepts(peer, ClusterRole.Silo));
            var gatewayClients = Options(settings, certificate, peer => trust.Accepts(peer, ClusterRole.FrontEnd));
            options.ConfigureSiloInboundConnection(connection => connection.UseServerTls(siloPeers));
            options.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(siloPeers));
            options.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(gatewayClients));
        });
        return silo;
    }

    /// <summary>TLS on a grain client's connections to gateways, which must present silo certificates.</summary>
    public static IClientBuilder UseClusterTls(this IClientBuilder client, TlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (certificate, authority) = Load(settings, ClusterRole.FrontEnd);
        client.Services.AddOptions<ClientConnectionOptions>().Configure<ILoggerFactory>((options, loggers) =>
        {
            var trust = new ClusterTrust(authority, loggers.CreateLogger<ClusterTrust>());
            var gateways = Options(settings, certificate, peer => trust.Accepts(peer, ClusterRole.Silo));
            options.ConfigureConnection(connection => connection.UseClientTls(gateways));
        });
        return client;
    }

    private static TlsOptions Options(TlsSettings settings, X509Certificate2 certificate, Func<X509Certificate2, bool> accepts) => new()
    {
        LocalCertificate = certificate,
        // Both sides present a certificate and both check the other's: a peer without one is refused.
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        // Replaces the system's verdict (which knows neither our CA nor a name to expect) with ours.
        RemoteCertificateValidation = (peer, _, _) => accepts(peer),
        HandshakeTimeout = settings.HandshakeTimeout,
    };

    /// <summary>
    /// This process's certificate and the CA, checked now: a process that could not prove itself to its peers fails
    /// at start-up with the reason, instead of running in clear text or failing every connection later.
    /// </summary>
    private static (X509Certificate2 Certificate, X509Certificate2 Authority) Load(TlsSettings settings, ClusterRole role)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var certificatePath = RequireFile(settings.CertificatePath, nameof(TlsSettings.CertificatePath));
        var keyPath = RequireFile(settings.KeyPath, nameof(TlsSettings.KeyPath));
        var caPath = RequireFile(settings.CaPath, nameof(TlsSettings.CaPath));
        X509Certificate2 certificate;
        X509Certificate2 authority;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            authority = X509CertificateLoader.LoadCertificateFromFile(caPath);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"{Section}: cannot load the certificate {certificatePath} with its key {keyPath}, or the CA {caPath}: {ex.Message}", ex);
        }

        var problem = new ClusterTrust(authority).Problem(certificate, role);
        return problem is null
            ? (certificate, authority)
            : throw new InvalidOperationException($"{Section}: this {role}'s certificate {certificatePath} ({certificate.Subject}) will be refused by its peers: {problem}.");
    }

    private static string RequireFile(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException(
                $"{Section}:{key} is not set, and a cluster process talks to its peers only over mutual TLS ({Section}:Enabled is true "
                + "unless switched off). Make the certificates with scripts/cluster-certs.sh and set "
                + $"{Section}:CertificatePath, {Section}:KeyPath and {Section}:CaPath (silo-config/README.md).");
        }

        var full = Path.GetFullPath(path);
        return File.Exists(full)
            ? full
            : throw new InvalidOperationException($"{Section}:{key} names {full}, which does not exist: make the certificates with scripts/cluster-certs.sh and give this process its own (silo-config/README.md).");
    }
}
