using System.Diagnostics;
using Npgsql;

namespace OrleansCqrs.Testing;

/// <summary>
/// A private PostgreSQL 15 for tests: initdb and pg_ctl in a temporary folder on a free loopback port, stopped and
/// removed on dispose. As root (CI) the server runs as the postgres user, since initdb refuses root. Set
/// <c>ORLEANSCQRS_TEST_POSTGRES</c> to an admin connection string to use a server of your own instead.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ExternalServerVariable = "ORLEANSCQRS_TEST_POSTGRES";
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string? _directory;
    private string _startOptions = "";
    private int _databases;

    private PostgresServer(string adminConnectionString, string? directory)
    {
        AdminConnectionString = adminConnectionString;
        _directory = directory;
    }

    private string Data => Path.Combine(_directory ?? throw new InvalidOperationException($"A server named by {ExternalServerVariable} is not this test's to stop."), "data");

    private static bool AsRoot => Environment.UserName == "root";

    public string AdminConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(ExternalServerVariable) is { Length: > 0 } external)
        {
            return new PostgresServer(external, null);
        }

        var directory = Directory.CreateTempSubdirectory("orleanscqrs-pg-").FullName;
        var data = Path.Combine(directory, "data");
        var port = Ports.Free();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", directory], asRoot: false);
        }

        await RunAsync($"{BinDirectory}/initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"], asRoot);
        var server = new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=64",
            directory);
        // Not disposed by the time this process ends (it was interrupted): stopped then.
        ExitCleanup.Add(server, server.StopNow);
        try
        {
            // Durable settings as in production: fsync and synchronous_commit stay on.
            server._startOptions = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB";
            await server.StartAgainAsync();
            await using var connection = new NpgsqlConnection(server.AdminConnectionString);
            await connection.OpenAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the server at once, as a crash of its machine would (immediate mode: no checkpoint, every connection cut);
    /// <see cref="StartAgainAsync"/> brings it back on the same port with its data (recovered from the WAL).
    /// </summary>
    public async Task StopAsync()
    {
        await RunAsync($"{BinDirectory}/pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"], AsRoot);
    }

    /// <summary>Starts the server (again) on its port, waiting until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        await RunAsync($"{BinDirectory}/pg_ctl", ["-D", Data, "-l", Path.Combine(_directory!, "server.log"), "-o", _startOptions, "-w", "-t", "60", "start"], AsRoot);
        // Connections pooled before a stop are dead: the next admin call must not be handed one. Only the admin pool:
        // the code under test must cope with its own.
        using var admin = new NpgsqlConnection(AdminConnectionString);
        NpgsqlConnection.ClearPool(admin);
    }

    /// <summary>A new, empty database on this server.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_directory is null)
        {
            return;
        }

        var data = Path.Combine(_directory, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            await RunAsync($"{BinDirectory}/pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], Environment.UserName == "root");
        }

        Directory.Delete(_directory, recursive: true);
        ExitCleanup.Remove(this);
    }

    /// <summary>Stops the server and removes its folder without awaiting anything: for the process's exit.</summary>
    private void StopNow()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            var stop = new ProcessStartInfo(AsRoot ? "runuser" : $"{BinDirectory}/pg_ctl");
            foreach (var argument in (AsRoot ? ["-u", "postgres", "--", $"{BinDirectory}/pg_ctl"] : Array.Empty<string>()).Concat(["-D", Data, "-m", "immediate", "-w", "stop"]))
            {
                stop.ArgumentList.Add(argument);
            }

            using var process = Process.Start(stop);
            process?.WaitForExit(TimeSpan.FromSeconds(15));
        }

        try
        {
            Directory.Delete(_directory!, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temporary folder's own cleanup.
        }
    }

    private static async Task RunAsync(string program, string[] arguments, bool asRoot)
    {
        var start = new ProcessStartInfo(asRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asRoot)
        {
            foreach (var part in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(part);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
