using System.ComponentModel.DataAnnotations;

namespace OrleansCqrs.Hosting;

/// <summary>
/// The <c>OrleansCqrs:Tls</c> section: mutual TLS between the processes of a cluster (silo to silo, front end to
/// gateway). PEM files made by scripts/cluster-certs.sh; silo-config/README.md says which process needs which.
/// </summary>
public sealed class TlsSettings
{
    /// <summary>
    /// On unless switched off: a cluster process without its certificate then refuses to start rather than talk in
    /// clear text. The embedded mode opens no Orleans port, so it has nothing to encrypt and ignores this.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>This process's certificate (PEM), issued by the cluster CA.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The private key of <see cref="CertificatePath"/> (PEM, unencrypted).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The cluster CA's certificate (PEM): the only root a peer's certificate may chain to.</summary>
    public string? CaPath { get; set; }

    /// <summary>A peer that has not completed the TLS handshake by then is disconnected.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
