using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// scripts/local-cluster.sh as a user runs it: start, status, token, kill and restart a silo, stop. It runs from a copy
/// of the checkout inside a folder only its owner may enter (as a clone under /root is), keeping its state in the
/// default place inside that checkout. It uses the fixed ports of the README (front end on 5080), so nothing else may
/// be running a local cluster meanwhile.
/// </summary>
[UnsupportedOSPlatform("windows")] // a bash script, PostgreSQL run as its own user, Unix file modes
public sealed class LocalClusterScriptTests : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _private = Directory.CreateTempSubdirectory("orleanscqrs-private-").FullName; // 0700
    private readonly string _checkout;
    private readonly string _state;
    private readonly int _pgPort = Ports.Free();
    private readonly Dictionary<string, string> _environment;

    public LocalClusterScriptTests()
    {
        _checkout = CopyCheckout(Path.Combine(_private, "checkout"));
        _state = Path.Combine(_checkout, ".local-cluster");
        _environment = new Dictionary<string, string>
        {
            ["LOCAL_CLUSTER_PG_PORT"] = $"{_pgPort}",
            // The test project has built both programs in its own configuration.
            ["LOCAL_CLUSTER_CONFIGURATION"] = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!),
            ["LOCAL_CLUSTER_NO_BUILD"] = "1",
        };
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("destroy");
        Directory.Delete(_private, recursive: true);
    }

    [Fact]
    public async Task Start_kill_restart_and_stop_leave_a_working_cluster_and_then_nothing_running()
    {
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_private));
        if (Environment.UserName == "root")
        {
            // The situation of a clone under /root: the postgres user cannot even enter the checkout's folder.
            Assert.NotEqual(0, (await RunProcessAsync("runuser", ["-u", "postgres", "--", "test", "-x", _private], [])).ExitCode);
        }

        var started = await RunAsync("start");
        Assert.True(started.ExitCode == 0, started.Output);
        var status = await RunAsync("status");
        Assert.Equal(5, status.Output.Split('\n').Count(line => line.Contains("running", StringComparison.Ordinal)));
        AssertSecretsArePrivate();

        var operatorToken = await TokenAsync("token operator");
        var claims = VerifiedClaims(operatorToken);
        Assert.Equal(("operator", "operator"), (claims.GetProperty("sub").GetString(), claims.GetProperty("role")[0].GetString()));
        var customerToken = await TokenAsync("token customer cust-script");
        Assert.Equal("cust-script", VerifiedClaims(customerToken).GetProperty("customer_id").GetString());
        Assert.NotEqual(0, (await RunAsync("token customer")).ExitCode);

        using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5080"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", customerToken);
        using (var opened = await client.PostAsJsonAsync("/api/accounts", new { accountId = "script-1", customerId = "cust-script", currency = "EUR" }))
        {
            Assert.True(opened.StatusCode == HttpStatusCode.Created, $"Opening the account answered {opened.StatusCode}: {await opened.Content.ReadAsStringAsync()}");
        }

        await AssertProcessesConnectAsTheirRolesWithPasswordsAsync();

        var pids = Directory.GetFiles(_state, "*.pid").Select(FirstNumber).ToList();
        Assert.Equal(4, pids.Count);
        pids.Add(FirstNumber(Path.Combine(PgFolder, "data", "postmaster.pid")));

        var killed = await RunAsync("kill 2");
        Assert.True(killed.ExitCode == 0, killed.Output);
        Assert.Contains("silo 2   stopped", (await RunAsync("status")).Output, StringComparison.Ordinal);
        using (var deposit = await client.PostAsJsonAsync("/api/accounts/script-1/deposit", new { amount = 5 }))
        {
            Assert.Equal(HttpStatusCode.OK, deposit.StatusCode);
        }

        var restarted = await RunAsync("restart 2");
        Assert.True(restarted.ExitCode == 0, restarted.Output);
        Assert.Contains("silo 2   running", (await RunAsync("status")).Output, StringComparison.Ordinal);

        var stopped = await RunAsync("stop");
        Assert.True(stopped.ExitCode == 0, stopped.Output);
        var after = await RunAsync("status");
        Assert.Equal(5, after.Output.Split('\n').Count(line => line.Contains("stopped", StringComparison.Ordinal)));
        // An exited process lingers until its parent (here: init) has reaped it.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(string.Join(", ", pids.Where(IsRunning))),
            running => running.Length == 0,
            TimeSpan.FromSeconds(10),
            "every process the script started to be gone after stop");
    }

    [Fact]
    public async Task The_split_layout_starts_one_write_silo_and_two_read_silos_and_a_restart_keeps_the_role()
    {
        _environment["LOCAL_CLUSTER_LAYOUT"] = "nonsense";
        var refused = await RunAsync("start");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("LOCAL_CLUSTER_LAYOUT is 'nonsense'; allowed values: all, split", refused.Output, StringComparison.Ordinal);

        _environment["LOCAL_CLUSTER_LAYOUT"] = "split";
        var started = await RunAsync("start");
        Assert.True(started.ExitCode == 0, started.Output);
        Assert.Contains("split layout", started.Output, StringComparison.Ordinal);
        var status = (await RunAsync("status")).Output;
        Assert.Contains("role write", Assert.Single(status.Split('\n'), line => line.StartsWith("silo 1", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(2, status.Split('\n').Count(line => line.Contains("role read", StringComparison.Ordinal)));

        // A later command of the script, without the variable, keeps the layout the cluster started with.
        _environment.Remove("LOCAL_CLUSTER_LAYOUT");
        var restarted = await RunAsync("restart 2");
        Assert.True(restarted.ExitCode == 0, restarted.Output);
        Assert.Contains("role read", Assert.Single((await RunAsync("status")).Output.Split('\n'), line => line.StartsWith("silo 2", StringComparison.Ordinal)), StringComparison.Ordinal);

        using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5080"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("token operator"));
        using (var opened = await client.PostAsJsonAsync("/api/accounts", new { accountId = "split-1", customerId = "cust-split", currency = "EUR" }))
        {
            Assert.True(opened.StatusCode == HttpStatusCode.Created, $"Opening the account answered {opened.StatusCode}: {await opened.Content.ReadAsStringAsync()}");
        }

        using (var read = await client.GetAsync("/api/accounts/split-1?minVersion=1&waitMs=5000"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        Assert.Equal(0, (await RunAsync("stop")).ExitCode);
    }

    private string PgFolder => File.ReadAllText(Path.Combine(_state, "pg-folder")).Trim();

    private void AssertSecretsArePrivate()
    {
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_state));
        var secrets = Path.Combine(_state, "secrets");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(secrets));
        Assert.All(Directory.GetFiles(secrets), file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
        Assert.Equal(44, File.ReadAllText(Path.Combine(secrets, "signing_key")).Trim().Length); // 32 bytes, base64
        Assert.False(PgFolder.StartsWith(_private, StringComparison.Ordinal), $"The database is in {PgFolder}, inside the private checkout.");
    }

    /// <summary>
    /// Password authentication is on (a wrong password is refused), and the silos and the front end hold sessions as
    /// their own roles, nobody as the superuser or the migrator.
    /// </summary>
    private async Task AssertProcessesConnectAsTheirRolesWithPasswordsAsync()
    {
        var migrator = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _pgPort,
            Database = "orleanscqrs",
            Username = "orleanscqrs_migrator",
            Passfile = Path.Combine(_state, "secrets", "migrator_pgpass"),
            Pooling = false,
        };
        var wrong = new NpgsqlConnectionStringBuilder(migrator.ConnectionString) { Username = "orleanscqrs_silo", Passfile = null, Password = "wrong" };
        await using (var refused = new NpgsqlConnection(wrong.ConnectionString))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => refused.OpenAsync());
            Assert.Equal("28P01", error.SqlState); // invalid_password
        }

        await using var connection = new NpgsqlConnection(migrator.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(DISTINCT usename::text, ',' ORDER BY usename::text) FROM pg_stat_activity WHERE datname = 'orleanscqrs' AND pid <> pg_backend_pid()",
            connection);
        Assert.Equal("orleanscqrs_frontend,orleanscqrs_silo", await command.ExecuteScalarAsync());
    }

    private async Task<string> TokenAsync(string arguments)
    {
        var printed = await RunAsync(arguments);
        Assert.True(printed.ExitCode == 0, printed.Output);
        return Assert.Single(printed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The claims of an HS256 token, after checking its signature with the key of the state folder and its times.</summary>
    private JsonElement VerifiedClaims(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal("HS256", JsonDocument.Parse(Base64Url(parts[0])).RootElement.GetProperty("alg").GetString());
        var key = Convert.FromBase64String(File.ReadAllText(Path.Combine(_state, "secrets", "signing_key")).Trim());
        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        Assert.True(CryptographicOperations.FixedTimeEquals(expected, Base64Url(parts[2])), "The token's signature does not verify.");
        var claims = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
        Assert.Equal(("orleanscqrs", "orleanscqrs"), (claims.GetProperty("iss").GetString(), claims.GetProperty("aud").GetString()));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(claims.GetProperty("iat").GetInt64(), now - 120, now + 5);
        Assert.Equal(3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        return claims;
    }

    private static byte[] Base64Url(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));

    /// <summary>What the script needs of a checkout: itself, silo-config/ and the built programs (linked, not copied).</summary>
    private static string CopyCheckout(string checkout)
    {
        var repository = LocalCluster.RepositoryRoot;
        foreach (var folder in new[] { "scripts", "silo-config" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(repository, folder), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(checkout, Path.GetRelativePath(repository, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        foreach (var program in new[] { "OrleansCqrs.Silo", "OrleansCqrs.Api" })
        {
            Directory.CreateDirectory(Path.Combine(checkout, "src", program));
            Directory.CreateSymbolicLink(Path.Combine(checkout, "src", program, "bin"), Path.Combine(repository, "src", program, "bin"));
        }

        return checkout;
    }

    private static int FirstNumber(string file) =>
        int.Parse(File.ReadLines(file).First().Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private Task<(int ExitCode, string Output)> RunAsync(string arguments) =>
        RunProcessAsync("bash", [Path.Combine(_checkout, "scripts", "local-cluster.sh"), .. arguments.Split(' ')], _environment);

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string program, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {CommandTimeout}.");
        }

        return (process.ExitCode, await output + await errors);
    }
}
