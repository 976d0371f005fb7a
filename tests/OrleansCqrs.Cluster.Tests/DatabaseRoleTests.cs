using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using static OrleansCqrs.Cluster.Tests.AsRole;
using OrleansCqrs.Bank;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// The roles the <c>migrate</c> command grants (<see cref="PostgresRoles"/>), on a database owned by a migrator role
/// that is no superuser, as in production: each test connects as the silo or front-end role and finds exactly its
/// privileges. (The private server trusts loopback connections, so passwords are not checked here;
/// LocalClusterScriptTests runs the same roles with scram-sha-256.)
/// </summary>
public sealed class DatabaseRoleTests(PostgresServerFixture postgres) : IAsyncLifetime
{

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];
    private readonly string _passwordFolder = Directory.CreateTempSubdirectory("orleanscqrs-roles-").FullName;
    private string _migrator = null!;
    private string _silo = null!;
    private string _frontEnd = null!;

    private string SiloRole => $"silo_{_suffix}";

    private string FrontEndRole => $"frontend_{_suffix}";

    public async ValueTask InitializeAsync()
    {
        var database = $"roles_{_suffix}";
        var migratorRole = $"migrator_{_suffix}";
        // What the deployment does once as a superuser: a migrator that may create roles owns the database.
        await AdminAsync($"CREATE ROLE {migratorRole} LOGIN CREATEROLE");
        await AdminAsync($"CREATE DATABASE {database} OWNER {migratorRole}");
        _migrator = As(migratorRole, database);
        _silo = As(SiloRole, database);
        _frontEnd = As(FrontEndRole, database);

        await File.WriteAllTextAsync(Path.Combine(_passwordFolder, "silo"), "silo-secret\n");
        await File.WriteAllTextAsync(Path.Combine(_passwordFolder, "frontend"), "front-end-secret\n");
        await MigrateAsync();
    }

    /// <summary>The <c>migrate</c> command's work, as the migrator.</summary>
    private Task MigrateAsync() =>
        SchemaMigrationStartup.MigrateAsync(
            new OrleansCqrsSettings
            {
                Store = StoreKind.Postgres,
                PostgresConnectionString = _migrator,
                Roles = new DatabaseRoleSettings
                {
                    Silo = SiloRole,
                    SiloPasswordFile = Path.Combine(_passwordFolder, "silo"),
                    FrontEnd = FrontEndRole,
                    FrontEndPasswordFile = Path.Combine(_passwordFolder, "frontend"),
                },
            },
            AppContext.BaseDirectory,
            CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_passwordFolder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_silo_role_appends_to_and_reads_the_event_log_but_cannot_update_delete_or_truncate_it()
    {
        // As an append does: its position from the log's clock, which the silo role reads.
        await ExecuteAsync(
            _silo,
            "INSERT INTO cqrs_events (global_position, stream_id, version, event_type, data, metadata) SELECT ((pg_current_xact_id()::text::bigint + xid_shift) << 16) + 1, 'roles-1', 1, 'test', '{}', '{}' FROM cqrs_log_clock");
        Assert.Equal(1L, await ScalarAsync(_silo, "SELECT count(*) FROM cqrs_events WHERE stream_id = 'roles-1'"));

        await AssertDeniedAsync(_silo, "UPDATE cqrs_events SET event_type = 'rewritten'");
        await AssertDeniedAsync(_silo, "DELETE FROM cqrs_events");
        await AssertDeniedAsync(_silo, "TRUNCATE cqrs_events");
        Assert.Equal(1L, await ScalarAsync(_migrator, "SELECT count(*) FROM cqrs_events WHERE event_type = 'test'"));
    }

    [Fact]
    public async Task A_privilege_granted_by_hand_is_taken_back_by_the_next_migration()
    {
        await ExecuteAsync(_migrator, $"GRANT UPDATE, DELETE, TRUNCATE ON cqrs_events TO {SiloRole}");
        await ExecuteAsync(_silo, "DELETE FROM cqrs_events WHERE false");

        await MigrateAsync();

        await AssertDeniedAsync(_silo, "UPDATE cqrs_events SET event_type = 'rewritten'");
        await AssertDeniedAsync(_silo, "DELETE FROM cqrs_events");
        await AssertDeniedAsync(_silo, "TRUNCATE cqrs_events");
    }

    [Fact]
    public async Task The_silo_role_cannot_change_the_schema_nor_the_statements_orleans_runs()
    {
        await AssertDeniedAsync(_silo, "CREATE TABLE intruder (id int)");
        await AssertDeniedAsync(_silo, "DROP TABLE cqrs_events");
        await AssertDeniedAsync(_silo, "UPDATE OrleansQuery SET QueryText = 'SELECT 1'");
        await AssertDeniedAsync(_silo, "DELETE FROM cqrs_schema_migrations");
    }

    [Fact]
    public async Task The_front_end_role_reads_the_gateway_list_but_neither_the_event_log_nor_grain_state_nor_writes_membership()
    {
        // A silo, as its role, registers itself through Orleans' own membership provider.
        using var silo = BuildSiloHost(_silo);
        var table = silo.Services.GetRequiredService<IMembershipTable>();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 7),
            Status = SiloStatus.Active,
            ProxyPort = 30001,
            HostName = "host",
            SiloName = "silo",
            StartTime = DateTime.UtcNow,
            IAmAliveTime = DateTime.UtcNow,
        };
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        Assert.Contains(new Uri("gwy.tcp://127.0.0.1:30001/7"), await GatewaysAsync(_frontEnd));
        await AssertDeniedAsync(_frontEnd, "SELECT count(*) FROM cqrs_events");
        await AssertDeniedAsync(_frontEnd, "SELECT count(*) FROM orleans_storage");
        await AssertDeniedAsync(_frontEnd, "INSERT INTO cqrs_events (stream_id, version, event_type, data, metadata) VALUES ('roles-2', 1, 'test', '{}', '{}')");
        await AssertDeniedAsync(_frontEnd, "UPDATE orleans_membership SET status = 6");
        await AssertDeniedAsync(_frontEnd, "DELETE FROM orleans_membership");
        await AssertDeniedAsync(_frontEnd, "SELECT orleans_membership_bump('x', 0)");
    }

    [Fact]
    public async Task Every_table_of_the_migrated_schema_has_its_privileges_decided()
    {
        var tables = new List<string>();
        await using (var connection = new NpgsqlConnection(_migrator))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Equal(tables, PostgresRoles.Tables.Select(t => t.Table).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_silo_refuses_a_database_that_would_lose_acknowledged_commits_unless_its_role_pins_them()
    {
        var database = new NpgsqlConnectionStringBuilder(_migrator).Database;
        await AdminAsync($"ALTER DATABASE {database} SET synchronous_commit = off");
        var superuser = new NpgsqlConnectionStringBuilder(postgres.Server.AdminConnectionString) { Database = database }.ConnectionString;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresDurabilityCheck.VerifyAsync(superuser));
        Assert.Contains("synchronous_commit = off", refused.Message, StringComparison.Ordinal);
        await PostgresDurabilityCheck.VerifyAsync(_silo); // migrate pinned it on for the silo role
    }

    [Fact]
    public async Task The_roles_get_their_passwords_from_the_files_scram_hashed()
    {
        Assert.Equal(2L, await ScalarAsync(
            postgres.Server.AdminConnectionString,
            $"SELECT count(*) FROM pg_authid WHERE rolname IN ('{SiloRole}', '{FrontEndRole}') AND rolcanlogin AND rolpassword LIKE 'SCRAM-SHA-256$%'"));
    }

    [Fact]
    public async Task A_cluster_whose_silos_and_front_end_connect_as_their_roles_serves_commands_and_reads()
    {
        await using var cluster = await LocalCluster.StartAsync(_silo, silos: 2, frontEnds: 1, frontEndConnectionString: _frontEnd);
        using var client = cluster.FrontEnds[0].CreateClient(TestTokens.Shared.Operator());
        var account = $"roles-{_suffix}";
        using (var opened = await client.PostAsJsonAsync("/api/accounts", new { accountId = account, customerId = "cust-roles", currency = "EUR" }))
        {
            Assert.True(opened.StatusCode == HttpStatusCode.Created, $"{opened.StatusCode}: {await opened.Content.ReadAsStringAsync()}\n{cluster.Output}");
        }

        using (var deposit = await client.PostAsJsonAsync($"/api/accounts/{account}/deposit", new { amount = 12.5m }))
        {
            Assert.True(deposit.StatusCode == HttpStatusCode.OK, $"{deposit.StatusCode}: {await deposit.Content.ReadAsStringAsync()}");
        }

        var summary = await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await client.GetAsync(new Uri($"/api/accounts/{account}", UriKind.Relative));
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<AccountView>() : null;
            },
            view => view?.Balance == 12.5m,
            TimeSpan.FromSeconds(20),
            "the account summary to show the deposit");
        Assert.Equal(12.5m, summary!.Balance);
        Assert.Equal(2L, await ScalarAsync(_migrator, $"SELECT count(*) FROM cqrs_events WHERE stream_id LIKE '%{account}'"));
    }

    private sealed record AccountView(decimal Balance);

    private static IHost BuildSiloHost(string connectionString)
    {
        // In-process hosts that prove database privileges only: transport security is ClusterTlsTests' subject.
        var settings = new OrleansCqrsSettings { Store = StoreKind.Postgres, PostgresConnectionString = connectionString, MigrateAtStartup = false, Tls = new TlsSettings { Enabled = false } };
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansCqrs:Store"] = "Postgres",
            ["OrleansCqrs:PostgresConnectionString"] = connectionString,
            ["OrleansCqrs:MigrateAtStartup"] = "false",
            ["OrleansCqrs:Tls:Enabled"] = "false",
        });
        builder.UseOrleans(silo => silo.UseOrleansCqrsCluster(settings).AddOrleansCqrs(builder.Configuration, AppContext.BaseDirectory, cqrs => cqrs.AddDomain<BankModule>()));
        return builder.Build();
    }

    /// <summary>The gateways a front end configured by <see cref="ClusterSetup"/> finds, through Orleans' own provider.</summary>
    private static async Task<IList<Uri>> GatewaysAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseOrleansCqrsCluster(new OrleansCqrsSettings { Store = StoreKind.Postgres, PostgresConnectionString = connectionString, Tls = new TlsSettings { Enabled = false } }));
        using var host = builder.Build();
        var gateways = host.Services.GetRequiredService<Orleans.Messaging.IGatewayListProvider>();
        await gateways.InitializeGatewayListProvider();
        return await gateways.GetGateways();
    }

    private string As(string role, string database) =>
        new NpgsqlConnectionStringBuilder(postgres.Server.AdminConnectionString) { Username = role, Database = database, Pooling = false }.ConnectionString;

    private Task AdminAsync(string sql) => ExecuteAsync(postgres.Server.AdminConnectionString, sql);
}
