using System.Net;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Connections.Security;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// A cluster of real processes with the mutual TLS of the cluster configs: only a process holding a certificate of
/// the cluster's CA, for its role, can call grains or join. Rogue processes are built the way anyone with Orleans
/// would build them, and trust any server, so that only the cluster's own checks can stop them.
/// </summary>
public sealed class ClusterTlsTests(PostgresServerFixture postgres, ITestOutputHelper output)
{
    /// <summary>A refused client must be told so within this, not hang.</summary>
    private static readonly TimeSpan ConnectBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Only_a_client_with_a_certificate_of_the_cluster_ca_can_call_grains()
    {
        var database = await postgres.Server.CreateDatabaseAsync("tls-clients");
        await using var cluster = await LocalCluster.StartAsync(database, silos: 1, frontEnds: 0);
        using var otherCa = TestCertificates.Create("another CA");
        try
        {
            var trusted = new TlsSettings
            {
                CertificatePath = cluster.Certificates.FrontEnd.CertificatePath,
                KeyPath = cluster.Certificates.FrontEnd.KeyPath,
                CaPath = cluster.Certificates.CaPath,
            };
            Assert.Null(await ConnectAsync(database, client => client.UseClusterTls(trusted)));

            var plain = await ConnectAsync(database, _ => { });
            AssertRefused(plain, "a client in clear text");

            var anonymous = await ConnectAsync(database, client => client.UseTls(options =>
            {
                options.ClientCertificateMode = RemoteCertificateMode.NoCertificate;
                options.AllowAnyRemoteCertificate();
            }));
            AssertRefused(anonymous, "a TLS client without a certificate");

            using var foreign = X509Certificate2.CreateFromPemFile(otherCa.FrontEnd.CertificatePath, otherCa.FrontEnd.KeyPath);
            var stranger = await ConnectAsync(database, client => client.UseTls(foreign, options => options.AllowAnyRemoteCertificate()));
            AssertRefused(stranger, "a client with a certificate of another CA");
            // The silo logs the refusal as it happens, and its output reaches this process a moment later: the client
            // can hear of its refusal first (CI saw the line missing when read at once).
            await Eventually.ReturnsAsync(
                () => Task.FromResult(cluster.Silo(1).Output.Contains("Refused the certificate CN=orleanscqrs-frontend", StringComparison.Ordinal)),
                logged => logged,
                TimeSpan.FromSeconds(10),
                "the silo to log that it refused the certificate of another CA");
        }
        catch
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }

    [Fact]
    public async Task A_silo_with_a_certificate_of_another_ca_never_becomes_active_and_the_cluster_keeps_working()
    {
        var database = await postgres.Server.CreateDatabaseAsync("tls-silos");
        await using var cluster = await LocalCluster.StartAsync(database, silos: 1, frontEnds: 1);
        using var otherCa = TestCertificates.Create("another CA");
        var environment = LocalCluster.Configuration("cluster-silo.env");
        environment["OrleansCqrs__PostgresConnectionString"] = database;
        environment["OrleansCqrs__SiloPort"] = $"{Ports.Free()}";
        environment["OrleansCqrs__GatewayPort"] = $"{Ports.Free()}";
        environment["OrleansCqrs__AdvertisedHost"] = "127.0.0.1";
        foreach (var (key, value) in otherCa.Environment(otherCa.Silo))
        {
            environment[key] = value;
        }

        await using var rogue = ServiceProcess.Start("rogue silo", LocalCluster.ProgramPath("OrleansCqrs.Silo"), environment);
        try
        {
            // Until the rogue gives up (its join fails) or is voted dead, it must never be an active member.
            var statuses = new HashSet<int>();
            await Eventually.ReturnsAsync(
                async () =>
                {
                    var status = await MembershipStatusAsync(database, environment["OrleansCqrs__SiloPort"]);
                    statuses.Add(status);
                    return (status, rogue.HasExited);
                },
                seen => seen.HasExited || seen.status is SiloStatusDead or SiloStatusActive,
                TimeSpan.FromSeconds(120),
                "the rogue silo to give up, be declared dead or become active");
            output.WriteLine($"The rogue silo's membership statuses: {string.Join(", ", statuses)}; exited: {rogue.HasExited}.");
            Assert.DoesNotContain(SiloStatusActive, statuses);

            using var client = cluster.FrontEnds[0].CreateClient(TestTokens.Shared.Operator());
            using var opened = await client.PostAsJsonAsync("/api/accounts", new { accountId = "tls-1", customerId = "cust-tls", currency = "EUR" });
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }
        catch
        {
            output.WriteLine(cluster.Output);
            output.WriteLine($"===== rogue silo =====\n{rogue.Output}");
            throw;
        }
    }

    [Fact]
    public async Task A_silo_advertised_on_loopback_listens_on_loopback_only()
    {
        var database = await postgres.Server.CreateDatabaseAsync("tls-loopback");
        await using var cluster = await LocalCluster.StartAsync(database, silos: 1, frontEnds: 0);
        var ports = new HashSet<int>
        {
            int.Parse(cluster.Silo(1).Environment["OrleansCqrs__SiloPort"], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(cluster.Silo(1).Environment["OrleansCqrs__GatewayPort"], System.Globalization.CultureInfo.InvariantCulture),
        };

        var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Where(l => ports.Contains(l.Port)).ToList();

        Assert.Equal(ports.Order(), listeners.Select(l => l.Port).Distinct().Order());
        Assert.All(listeners, listener => Assert.True(IPAddress.IsLoopback(listener.Address), $"The silo listens on {listener}."));
    }

    [Theory]
    [InlineData("OrleansCqrs.Silo", "cluster-silo.env")]
    [InlineData("OrleansCqrs.Api", "cluster-frontend.env")]
    public async Task A_cluster_process_whose_certificate_files_are_missing_exits_at_start_up_saying_so(string program, string configuration)
    {
        // The cluster configs as they are: TLS on, the files where compose mounts them (absent here).
        var environment = LocalCluster.Configuration(configuration);
        environment["OrleansCqrs__PostgresConnectionString"] = await postgres.Server.CreateDatabaseAsync("tls-missing");
        environment["OrleansCqrs__SiloPort"] = $"{Ports.Free()}";
        environment["OrleansCqrs__GatewayPort"] = $"{Ports.Free()}";
        await using var process = ServiceProcess.Start(program, LocalCluster.ProgramPath(program), environment);

        await Eventually.ReturnsAsync(() => Task.FromResult(process.HasExited), exited => exited, TimeSpan.FromSeconds(60), $"{program} to exit");

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("OrleansCqrs:Tls:CertificatePath names /run/secrets/", process.Output, StringComparison.Ordinal);
    }

    private const int SiloStatusActive = 3;
    private const int SiloStatusDead = 6;

    private void AssertRefused(Exception? failure, string who)
    {
        Assert.True(failure is not null, $"{who} called a grain of the TLS cluster.");
        Assert.False(failure is TimeoutException, $"{who} was not refused within {ConnectBound.TotalSeconds:0} s: {failure}");
        output.WriteLine($"{who}: {failure!.GetType().Name}: {failure.Message}");
    }

    /// <summary>
    /// A grain client of the cluster in <paramref name="database"/>, its transport set by <paramref name="transport"/>,
    /// that connects and calls a grain; null if that worked, else what failed. It tries to connect once (a front end
    /// retries for ever), so a refusal shows as an error, and a hang as a timeout after <see cref="ConnectBound"/>.
    /// </summary>
    private static async Task<Exception?> ConnectAsync(string database, Action<IClientBuilder> transport)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = "orleanscqrs";
                options.ServiceId = "orleanscqrs";
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = database;
            });
            // One attempt: Orleans' client otherwise keeps trying to connect until it is stopped.
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            transport(client);
        });
        using var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(ConnectBound);
            var hosts = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ConnectBound);
            Assert.NotEmpty(hosts);
            return null;
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            return ex;
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    private static async Task<int> MembershipStatusAsync(string database, string siloPort)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM orleans_membership WHERE silo_name LIKE '%-' || @port ORDER BY generation DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("port", siloPort);
        return (int)(await command.ExecuteScalarAsync() ?? -1);
    }
}
