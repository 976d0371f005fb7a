using System.Net;
using System.Net.Sockets;

namespace OrleansCqrs.Testing;

/// <summary>
/// Loopback ports for the servers tests and benchmarks start (silos, gateways, front ends, PostgreSQL), each handed
/// out once per machine until the process that took it ends.
/// </summary>
/// <remarks>
/// A port the OS picks from its ephemeral range is free only for a moment: between picking it and a child process
/// binding it (seconds, for a silo), any outgoing connection on the machine (a database pool, an Orleans client) may
/// take it as its local port, and the server dies on "address already in use". So ports come from below that range
/// (and below Orleans' TestCluster allocator, which starts at 22300), where the OS never puts an outgoing connection.
/// Test projects run in parallel as separate processes: each claims blocks of ports with an exclusive lock on a file
/// per block, which the OS releases when the process ends, so no two processes hand out the same port.
/// </remarks>
public static class Ports
{
    private const int First = 10_000;
    private const int End = 22_300;
    private const int BlockSize = 50;

    private static readonly Lock Gate = new();
    private static readonly List<FileStream> Claims = [];
    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "orleanscqrs-ports");
    private static readonly bool OwnRange = BelowEphemeralRange();
    private static int _next;
    private static int _blockEnd;

    /// <summary>A loopback port nobody listens on and no other process of ours has been given.</summary>
    public static int Free()
    {
        if (!OwnRange)
        {
            return PickedByTheOs();
        }

        lock (Gate)
        {
            while (true)
            {
                if (_next == _blockEnd)
                {
                    ClaimBlock();
                }

                var port = _next++;
                if (NobodyListensOn(port))
                {
                    return port;
                }
            }
        }
    }

    private static void ClaimBlock()
    {
        Directory.CreateDirectory(LockDirectory);
        var blocks = (End - First) / BlockSize;
        var start = Random.Shared.Next(blocks);
        for (var i = 0; i < blocks; i++)
        {
            var block = (start + i) % blocks;
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock on Unix), dropped by the OS when we exit.
                Claims.Add(new FileStream(LockFile(block), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                _next = First + (block * BlockSize);
                _blockEnd = _next + BlockSize;
                return;
            }
            catch (IOException)
            {
                // Another process holds this block.
            }
        }

        throw new InvalidOperationException($"Every block of ports {First}–{End - 1} is held by another process (locks in {LockDirectory}).");
    }

    /// <summary>The file whose lock holds the block of ports that <paramref name="port"/> is in.</summary>
    public static string LockFileOf(int port) => LockFile((port - First) / BlockSize);

    private static string LockFile(int block) => Path.Combine(LockDirectory, $"{block}.lock");

    /// <summary>Whether a server could listen on loopback port <paramref name="port"/> now.</summary>
    public static bool NobodyListensOn(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int PickedByTheOs()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether the OS keeps its outgoing connections above our range (Linux says so in procfs).</summary>
    private static bool BelowEphemeralRange()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (!File.Exists(range))
        {
            return false;
        }

        var low = File.ReadAllText(range).Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
        return int.TryParse(low, out var port) && port >= End;
    }
}
