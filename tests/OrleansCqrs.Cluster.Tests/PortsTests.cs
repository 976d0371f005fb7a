using System.Net;
using System.Net.Sockets;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// The ports the cluster tests start servers on: never where the OS puts outgoing connections, never handed to two of
/// our processes at once (a silo that lost its port to either died on "address already in use" in CI).
/// </summary>
public sealed class PortsTests
{
    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    [Fact]
    public void Ports_are_distinct_and_below_the_range_the_os_gives_outgoing_connections()
    {
        Assert.SkipUnless(File.Exists(EphemeralRange), "The OS does not say where its ephemeral range starts.");
        var low = int.Parse(File.ReadAllText(EphemeralRange).Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);

        // More than a block's worth, so the test also crosses from one claimed block to the next.
        var ports = Enumerable.Range(0, 120).Select(_ => Ports.Free()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1024, low - 1));
    }

    [Fact]
    public void Every_port_handed_out_is_in_a_block_no_other_process_can_claim()
    {
        Assert.SkipUnless(File.Exists(EphemeralRange), "Without a known ephemeral range the OS picks the ports.");

        foreach (var port in Enumerable.Range(0, 60).Select(_ => Ports.Free()))
        {
            // Another process (another test project, run in parallel) opening the block's file as Ports does fails.
            Assert.Throws<IOException>(
                () => new FileStream(Ports.LockFileOf(port), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None).Dispose());
        }
    }

    [Fact]
    public void A_port_another_server_listens_on_is_never_handed_out()
    {
        var next = Ports.Free();
        using var squatter = new TcpListener(IPAddress.Loopback, next + 1);
        squatter.Start();

        var ports = Enumerable.Range(0, 60).Select(_ => Ports.Free()).ToList();

        Assert.DoesNotContain(next + 1, ports);
    }
}
