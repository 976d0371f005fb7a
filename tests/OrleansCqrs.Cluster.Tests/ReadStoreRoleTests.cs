using Npgsql;
using static OrleansCqrs.Cluster.Tests.AsRole;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// The <c>migrate</c> command with a read store of its own (<c>OrleansCqrs:ReadStoreConnectionString</c>): each
/// database gets its own tables, the silo role is granted on both, and the front-end role on the event log's only.
/// </summary>
public sealed class ReadStoreRoleTests(PostgresServerFixture postgres) : IAsyncLifetime
{

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];
    private string _logAsMigrator = null!;
    private string _readsAsMigrator = null!;
    private string _readsAsSilo = null!;
    private string _readsAsFrontEnd = null!;

    private string SiloRole => $"rsilo_{_suffix}";

    private string FrontEndRole => $"rfrontend_{_suffix}";

    public async ValueTask InitializeAsync()
    {
        var migrator = $"rmigrator_{_suffix}";
        await ExecuteAsync(postgres.Server.AdminConnectionString, $"CREATE ROLE {migrator} LOGIN CREATEROLE");
        await ExecuteAsync(postgres.Server.AdminConnectionString, $"CREATE DATABASE log_{_suffix} OWNER {migrator}");
        await ExecuteAsync(postgres.Server.AdminConnectionString, $"CREATE DATABASE reads_{_suffix} OWNER {migrator}");
        (_logAsMigrator, _readsAsMigrator) = (As(migrator, $"log_{_suffix}"), As(migrator, $"reads_{_suffix}"));
        (_readsAsSilo, _readsAsFrontEnd) = (As(SiloRole, $"reads_{_suffix}"), As(FrontEndRole, $"reads_{_suffix}"));
        await SchemaMigrationStartup.MigrateAsync(
            new OrleansCqrsSettings
            {
                Store = StoreKind.Postgres,
                PostgresConnectionString = _logAsMigrator,
                ReadStoreConnectionString = _readsAsMigrator,
                Roles = new DatabaseRoleSettings { Silo = SiloRole, FrontEnd = FrontEndRole },
            },
            AppContext.BaseDirectory,
            CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Each_database_holds_its_own_tables_and_every_one_has_its_privileges_decided()
    {
        var (log, reads) = (await TablesAsync(_logAsMigrator), await TablesAsync(_readsAsMigrator));

        Assert.Equal(["cqrs_projection_rows", "cqrs_projections", "cqrs_schema_migrations", "orleans_storage", "orleansquery"], reads);
        Assert.DoesNotContain("cqrs_projections", log);
        Assert.Contains("cqrs_events", log);
        Assert.All(log.Concat(reads), table => Assert.Contains(table, PostgresRoles.Tables.Select(t => t.Table)));
    }

    [Fact]
    public async Task The_silo_role_writes_read_models_in_the_read_store_but_cannot_change_its_schema()
    {
        await ExecuteAsync(_readsAsSilo, "INSERT INTO cqrs_projection_rows (projection_id, row_key, data) VALUES ('p', 'k', '\\x00')");
        await ExecuteAsync(_readsAsSilo, "DELETE FROM cqrs_projection_rows WHERE projection_id = 'p'");
        await ExecuteAsync(_readsAsSilo, "INSERT INTO cqrs_projections (projection_id, position, header, etag) VALUES ('p', 0, '\\x00', 1)");
        Assert.Equal(1L, await ScalarAsync(_readsAsSilo, "SELECT count(*) FROM orleansquery WHERE querykey = 'ReadFromStorageKey'"));

        await AssertDeniedAsync(_readsAsSilo, "CREATE TABLE intruder (id int)");
        await AssertDeniedAsync(_readsAsSilo, "UPDATE OrleansQuery SET QueryText = 'SELECT 1'");
        await AssertDeniedAsync(_readsAsSilo, "DELETE FROM cqrs_schema_migrations");
    }

    [Fact]
    public async Task The_front_end_role_is_granted_nothing_in_the_read_store()
    {
        await AssertDeniedAsync(_readsAsFrontEnd, "SELECT count(*) FROM orleansquery");
        await AssertDeniedAsync(_readsAsFrontEnd, "SELECT count(*) FROM cqrs_projection_rows");
    }

    private string As(string role, string database) =>
        new NpgsqlConnectionStringBuilder(postgres.Server.AdminConnectionString) { Username = role, Database = database, Pooling = false }.ConnectionString;

    private static async Task<List<string>> TablesAsync(string connectionString)
    {
        var tables = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
