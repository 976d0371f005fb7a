using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansCqrs.Bank.Accounts;

namespace OrleansCqrs.Api.Tests.Accounts;

/// <summary>The app on its durable stores: data survives a restart, snapshots land in Orleans grain storage.</summary>
public sealed class DurableHostingTests(PostgresServerFixture postgres)
{
    private const int SnapshotEvery = 3;

    /// <summary>Ledger shard rows saved with a checkpoint past the start of the log.</summary>
    private const string LedgerRowsSaved = """
        SELECT count(*) FROM cqrs_projection_rows r JOIN cqrs_projections p ON p.projection_id = r.projection_id
        WHERE p.projection_id LIKE 'ledgershard/%' AND p.position > 0
        """;

    private static async Task<string> OpenAndDepositAsync(HttpClient client, int deposits)
    {
        var created = await (await client.PostAsync("/api/accounts", """{"customerId":"cust-1","currency":"GBP"}""")).OkAsync(HttpStatusCode.Created);
        var id = created.GetProperty("accountId").GetString()!;
        for (var i = 1; i <= deposits; i++)
        {
            await (await client.PostAsync($"/api/accounts/{id}/deposit", $$"""{"amount":{{i}}.25}""")).OkAsync();
        }

        return id;
    }

    private static async Task RestartAndCheckAsync(Func<ApiHost> start, string id, decimal balance, long version)
    {
        await using var host = start();
        host.StartServer();
        var view = await host.Grains.GetGrain<IAccountGrain>(id).Get();
        Assert.Equal((balance, version, AccountStatus.Open), (view!.Balance, view.Version, view.Status));

        // The read model, restored from its persisted state and checkpoint, agrees.
        using var client = host.OperatorClient();
        var summary = await (await client.GetAsync($"/api/accounts/{id}?minVersion={version}")).OkAsync();
        Assert.Equal((balance, version), (summary.GetProperty("balance").GetDecimal(), summary.GetProperty("version").GetInt64()));

        // So do the read models of the global log (totals, customer directory) and the statement.
        var position = await HeadAsync(client, id);
        // A plain read (no minPosition) right after the restart already sees what was committed before it.
        var portfolio = await (await client.GetAsync("/api/customers/cust-1/portfolio")).OkAsync();
        Assert.Equal(id, Assert.Single(portfolio.GetProperty("accounts").EnumerateArray()).GetProperty("accountId").GetString());
        var totals = await (await client.GetAsync($"/api/bank/totals?minPosition={position}")).OkAsync();
        Assert.Equal(balance, totals.GetProperty("currencies").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == "GBP").GetProperty("balance").GetDecimal());
        var statement = await (await client.GetAsync($"/api/accounts/{id}/statement?limit=1")).OkAsync();
        Assert.Equal(balance, statement.GetProperty("entries")[0].GetProperty("balanceAfter").GetDecimal());

        // The account keeps working after the restart, at the next version.
        var next = await (await client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":0.25}""")).OkAsync();
        Assert.Equal(version + 1, next.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task The_embedded_sqlite_app_keeps_every_account_and_balance_across_a_restart()
    {
        var data = Directory.CreateTempSubdirectory("orleanscqrs-embedded-").FullName;
        try
        {
            ApiHost Start() => new(("OrleansCqrs:Store", "Sqlite"), ("OrleansCqrs:DataDirectory", data), ("OrleansCqrs:SnapshotEvery", $"{SnapshotEvery}"));
            string id;
            await using (var host = Start())
            {
                host.StartServer();
                using var client = host.OperatorClient();
                id = await OpenAndDepositAsync(client, 7);
            }

            await RestartAndCheckAsync(Start, id, 1 + 2 + 3 + 4 + 5 + 6 + 7 + 7 * 0.25m, 8);
            Assert.True(await CountStatesAsync($"Data Source={Path.Combine(data, "grains.db")}", "snapshot") > 0, "No snapshot reached the SQLite grain storage.");
            Assert.True(await CountStatesAsync($"Data Source={Path.Combine(data, "grains.db")}", "account-summary") > 0, "No read model reached the SQLite grain storage.");
            await using var events = new SqliteConnection($"Data Source={Path.Combine(data, "events.db")}");
            await events.OpenAsync();
            await using var ledgerRows = events.CreateCommand();
            ledgerRows.CommandText = LedgerRowsSaved;
            Assert.True((long)(await ledgerRows.ExecuteScalarAsync())! > 0, "No ledger row reached the SQLite projection rows.");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task The_app_on_postgres_keeps_every_account_and_balance_across_a_restart()
    {
        var server = await postgres.ServerAsync();
        var connectionString = await server.CreateDatabaseAsync("api");
        ApiHost Start() => new(("OrleansCqrs:Store", "Postgres"), ("OrleansCqrs:PostgresConnectionString", connectionString), ("OrleansCqrs:SnapshotEvery", $"{SnapshotEvery}"));
        string id;
        await using (var host = Start())
        {
            host.StartServer();
            using var client = host.OperatorClient();
            id = await OpenAndDepositAsync(client, 4);
        }

        await RestartAndCheckAsync(Start, id, 1 + 2 + 3 + 4 + 4 * 0.25m, 5);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orleans_storage WHERE payload_binary IS NOT NULL", connection);
        Assert.True((long)(await count.ExecuteScalarAsync())! > 0, "No snapshot reached the PostgreSQL grain storage.");
        await using var ledgerRows = new NpgsqlCommand(LedgerRowsSaved, connection);
        Assert.True((long)(await ledgerRows.ExecuteScalarAsync())! > 0, "No ledger row reached the PostgreSQL projection rows.");
    }

    /// <summary>The global position of the account's last event, from its statement.</summary>
    private static async Task<long> HeadAsync(HttpClient client, string id) =>
        (await (await client.GetAsync($"/api/accounts/{id}/statement?limit=1")).OkAsync()).GetProperty("entries")[0].GetProperty("position").GetInt64();

    private static async Task<long> CountStatesAsync(string connectionString, string stateName)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM orleans_storage WHERE payload_binary IS NOT NULL AND grain_type_string = $state";
        count.Parameters.AddWithValue("$state", stateName);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
