using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Decides whether a peer's certificate belongs to this cluster: it must chain to the cluster CA, pinned (a trust
/// store holding that CA alone, the system's roots play no part), be valid now, and carry the extended key usages of
/// the role it plays. Host names are not checked: silos are dialled at the IP address they wrote into the membership
/// table, which in containers changes at every start, so a name would prove nothing the CA's signature does not.
/// The cluster CA issues nothing but cluster certificates; revoking one means replacing the CA.
/// </summary>
public sealed partial class ClusterTrust
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _authority;
    private readonly ILogger _logger;

    public ClusterTrust(X509Certificate2 authority, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _authority = authority;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>True if <paramref name="peer"/> may act as <paramref name="role"/>; a refusal is logged with its reason.</summary>
    public bool Accepts(X509Certificate2 peer, ClusterRole role)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var problem = Problem(peer, role);
        if (problem is null)
        {
            return true;
        }

        LogRefused(_logger, peer.Subject, peer.Thumbprint, role, problem);
        return false;
    }

    /// <summary>Why <paramref name="certificate"/> may not act as <paramref name="role"/>, or null if it may.</summary>
    public string? Problem(X509Certificate2 certificate, ClusterRole role)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(certificate))
        {
            var statuses = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
            return $"it does not chain to the cluster CA {_authority.Subject} ({string.Join("; ", statuses)})";
        }

        // CustomRootTrust already ends every valid chain at our CA; this says so where the decision is made.
        if (!chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(_authority.RawDataMemory.Span))
        {
            return $"its chain ends at {chain.ChainElements[^1].Certificate.Subject}, not at the cluster CA";
        }

        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .SelectMany(e => e.EnhancedKeyUsages.Cast<Oid>())
            .Select(o => o.Value)
            .ToHashSet(StringComparer.Ordinal);
        var required = role == ClusterRole.Silo ? new[] { ServerAuthentication, ClientAuthentication } : [ClientAuthentication];
        var missing = required.Where(o => !usages.Contains(o.Value!)).Select(o => o.FriendlyName ?? o.Value).ToList();
        return missing.Count == 0
            ? null
            : $"a {role} certificate needs the extended key usage {string.Join(" and ", missing)}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the certificate {Subject} ({Thumbprint}) of a peer acting as {Role}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string subject, string thumbprint, ClusterRole role, string reason);
}
