using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// Which certificates a cluster process accepts from its peers, and which of its own it refuses to start with: the
/// cluster CA alone, pinned, and the role the certificate's key usages allow.
/// </summary>
public sealed class ClusterTrustTests : IDisposable
{
    private readonly TestCertificates _cluster = TestCertificates.Create();
    private readonly TestCertificates _other = TestCertificates.Create("another CA");

    public void Dispose()
    {
        _cluster.Dispose();
        _other.Dispose();
    }

    [Fact]
    public void A_silo_certificate_of_the_cluster_ca_is_accepted_as_a_silo_and_as_a_gateway_client()
    {
        using var ca = X509CertificateLoader.LoadCertificateFromFile(_cluster.CaPath);
        using var silo = Load(_cluster.Silo);
        var trust = new ClusterTrust(ca);

        Assert.Null(trust.Problem(silo, ClusterRole.Silo));
        Assert.Null(trust.Problem(silo, ClusterRole.FrontEnd));
    }

    [Fact]
    public void A_front_end_certificate_is_refused_as_a_silo()
    {
        using var ca = X509CertificateLoader.LoadCertificateFromFile(_cluster.CaPath);
        using var frontEnd = Load(_cluster.FrontEnd);
        var trust = new ClusterTrust(ca);

        Assert.Null(trust.Problem(frontEnd, ClusterRole.FrontEnd));
        Assert.Contains("Server Authentication", trust.Problem(frontEnd, ClusterRole.Silo), StringComparison.Ordinal);
        Assert.False(trust.Accepts(frontEnd, ClusterRole.Silo));
    }

    [Fact]
    public void A_certificate_of_another_ca_is_refused_in_every_role()
    {
        using var ca = X509CertificateLoader.LoadCertificateFromFile(_cluster.CaPath);
        using var foreign = Load(_other.Silo);
        var trust = new ClusterTrust(ca);

        Assert.Contains("does not chain to the cluster CA", trust.Problem(foreign, ClusterRole.Silo), StringComparison.Ordinal);
        Assert.Contains("does not chain to the cluster CA", trust.Problem(foreign, ClusterRole.FrontEnd), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_process_without_certificates_refuses_to_start_and_says_how_to_make_them()
    {
        var settings = Settings(new TlsSettings());

        var silo = Assert.Throws<InvalidOperationException>(() => Host.CreateApplicationBuilder().UseOrleans(s => s.UseOrleansCqrsCluster(settings)));
        var client = Assert.Throws<InvalidOperationException>(() => Host.CreateApplicationBuilder().UseOrleansClient(c => c.UseOrleansCqrsCluster(settings)));

        Assert.All(new[] { silo.Message, client.Message }, message =>
        {
            Assert.Contains("OrleansCqrs:Tls:CertificatePath is not set", message, StringComparison.Ordinal);
            Assert.Contains("scripts/cluster-certs.sh", message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_silo_given_a_front_end_certificate_or_a_ca_that_did_not_issue_its_certificate_refuses_to_start()
    {
        var frontEndCertificate = Settings(Tls(_cluster.FrontEnd, _cluster.CaPath));
        var wrongCa = Settings(Tls(_cluster.Silo, _other.CaPath));

        var role = Assert.Throws<InvalidOperationException>(() => Host.CreateApplicationBuilder().UseOrleans(s => s.UseOrleansCqrsCluster(frontEndCertificate)));
        var chain = Assert.Throws<InvalidOperationException>(() => Host.CreateApplicationBuilder().UseOrleans(s => s.UseOrleansCqrsCluster(wrongCa)));

        Assert.Contains("will be refused by its peers", role.Message, StringComparison.Ordinal);
        Assert.Contains("does not chain to the cluster CA", chain.Message, StringComparison.Ordinal);
    }

    private static X509Certificate2 Load(PemPair pair) => X509Certificate2.CreateFromPemFile(pair.CertificatePath, pair.KeyPath);

    private static TlsSettings Tls(PemPair certificate, string caPath) =>
        new() { CertificatePath = certificate.CertificatePath, KeyPath = certificate.KeyPath, CaPath = caPath };

    private static OrleansCqrsSettings Settings(TlsSettings tls) => new()
    {
        Store = StoreKind.Postgres,
        PostgresConnectionString = "Host=127.0.0.1;Database=unused",
        Tls = tls,
    };
}
