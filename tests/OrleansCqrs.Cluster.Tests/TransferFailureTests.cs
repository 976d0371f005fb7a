using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// Three silo processes on PostgreSQL run transfers while HTTP deposits and withdrawals race them on the same
/// accounts (one of them in another currency, so some credits are refused and refunded), and silos are killed with
/// SIGKILL on the way (silo 2, which then comes back, and silo 3). The transfers are requested as a crash right after the
/// request would leave them: their TransferRequested written straight into the log, no grain called, so each one is
/// found and run by the process resumer alone, on whichever silo it lives after the kills. Afterwards, from the log:
/// every transfer ended, none moved money twice, money is conserved exactly; and the account summaries equal the log.
/// </summary>
public sealed class TransferFailureTests(PostgresServerFixture postgres, ITestOutputHelper output)
{
    private const int Accounts = 12;
    private const int Transfers = 240;
    private const decimal Funding = 50m;
    private static readonly TimeSpan EndDeadline = TimeSpan.FromSeconds(60);
    private static readonly EventSerializer Serializer = new(EventTypeRegistry.FromAssemblies(typeof(AccountOpened).Assembly));

    [Fact]
    public async Task Transfers_run_by_the_resumer_all_end_with_money_conserved_across_sigkills_of_silos()
    {
        var database = await postgres.Server.CreateDatabaseAsync("transfers");
        await using var cluster = await LocalCluster.StartAsync(database, silos: 3, frontEnds: 1);
        try
        {
            using var client = cluster.FrontEnds[0].CreateClient(TestTokens.Shared.Operator());
            var accounts = await OpenAsync(client);
            var load = new BankLoad([client], accounts);
            using var stop = new CancellationTokenSource();
            var racing = load.RunAsync(2, stop.Token);

            await using var store = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = database });
            var random = new Random(7);
            var transfers = new List<string>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Transfers; i++)
            {
                var from = random.Next(Accounts);
                var to = (from + 1 + random.Next(Accounts - 1)) % Accounts;
                transfers.Add(await RequestAsync(store, accounts[from], accounts[to], random.Next(1, 80)));
                if (i == Transfers / 3)
                {
                    await cluster.KillSiloAsync(2);
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: SIGKILL silo 2 after {i + 1} transfers");
                }
                else if (i == Transfers / 2)
                {
                    // Two silos must stay up to vote a crashed one dead (NumVotesForDeathDeclaration 2): silo 2 comes
                    // back before silo 3 goes, as in SiloFailureTests.
                    await cluster.RestartSiloAsync(2);
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: silo 2 back after {i + 1} transfers");
                }
                else if (i == 2 * Transfers / 3)
                {
                    await cluster.KillSiloAsync(3);
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: SIGKILL silo 3 after {i + 1} transfers");
                }

                await Task.Delay(20);
            }

            var requested = clock.Elapsed;
            var open = await Eventually.ReturnsAsync(
                async () => (await Task.WhenAll(transfers.Select(async id => await EndedAsync(store, id) ? null : id))).OfType<string>().ToList(),
                left => left.Count == 0,
                EndDeadline,
                $"every one of {Transfers} transfers to end in the log with nobody calling",
                left => $"{left.Count} open, e.g. {string.Join(", ", left.Take(3))}");
            output.WriteLine($"All {Transfers} transfers ended {(clock.Elapsed - requested).TotalSeconds:0.0} s after the last was requested.");
            await stop.CancelAsync();
            var outcomes = await racing;
            Assert.All(outcomes, o => Assert.True(o.Failure is null, $"{o.Operation} {o.Amount} on {o.AccountId}: {o.Failure}"));

            var log = await AuditAsync(store, accounts, transfers);
            output.WriteLine($"{log.Completed} completed, {log.Refunded} refunded, {Transfers - log.Completed - log.Refunded} refused by the source; {outcomes.Count} racing deposits and withdrawals.");
            Assert.True(log.Completed > 0 && log.Refunded > 0 && log.Completed + log.Refunded < Transfers, $"{log.Completed} completed and {log.Refunded} refunded of {Transfers}: an ending was never reached.");
            await Eventually.ReturnsAsync(
                () => SummaryDifferencesAsync(client, log),
                differences => differences.Count == 0,
                TimeSpan.FromSeconds(10),
                "every account summary to equal the log",
                differences => string.Join("; ", differences.Take(5)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }

    private static async Task<List<string>> OpenAsync(HttpClient client)
    {
        var accounts = new List<string>();
        for (var i = 0; i < Accounts; i++)
        {
            var id = $"tacct-{i:00}";
            using var opened = await client.PostAsJsonAsync("/api/accounts", new { accountId = id, customerId = $"cust-{i % 4}", currency = i == Accounts - 1 ? "USD" : "EUR" });
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
            using var deposited = await client.PostAsJsonAsync($"/api/accounts/{id}/deposit", new { amount = Funding });
            Assert.Equal(HttpStatusCode.OK, deposited.StatusCode);
            accounts.Add(id);
        }

        return accounts;
    }

    private static async Task<string> RequestAsync(PostgresEventStore store, string from, string to, decimal amount)
    {
        var id = $"tr-{Guid.NewGuid():N}";
        var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
        var requested = Serializer.Serialize(new TransferRequested(from, to, amount, "EUR", null, metadata.Timestamp), metadata);
        await store.AppendAsync(new AppendRequest($"{TransferGrain.StreamName}-{id}", 0, [requested], metadata.CommandId));
        return id;
    }

    private static async Task<IReadOnlyList<IDomainEvent>> EventsAsync(IEventStore store, string streamId) =>
        [.. (await store.ReadStreamAsync(streamId, 1, 10_000)).Select(e => Serializer.Deserialize(e).Event)];

    private static async Task<bool> EndedAsync(IEventStore store, string transferId) =>
        (await EventsAsync(store, $"{TransferGrain.StreamName}-{transferId}")).Any(e => e is TransferCompleted or TransferFailed);

    private sealed record TransferLog(IReadOnlyDictionary<string, (decimal Balance, long Version)> Accounts, int Completed, int Refunded);

    /// <summary>
    /// Versions gapless, command ids once per stream, no balance below zero, each transfer's money moved as its outcome
    /// says and at most once, and Σ balances + in flight (0 at the end) = Σ deposits − Σ withdrawals.
    /// </summary>
    private static async Task<TransferLog> AuditAsync(PostgresEventStore store, IReadOnlyList<string> accountIds, IReadOnlyList<string> transferIds)
    {
        var accounts = new Dictionary<string, (decimal Balance, long Version)>(StringComparer.Ordinal);
        var moves = new Dictionary<(string TransferId, string Kind), int>();
        decimal deposits = 0, withdrawals = 0, inFlight = 0;
        foreach (var id in accountIds)
        {
            var (balance, version) = (0m, 0L);
            var commands = new HashSet<Guid>();
            foreach (var recorded in await store.ReadStreamAsync($"{AccountGrain.StreamName}-{id}", 1, 100_000))
            {
                Assert.True(recorded.Version == ++version, $"{id} jumps to version {recorded.Version} after {version - 1}.");
                var envelope = Serializer.Deserialize(recorded);
                Assert.True(commands.Add(envelope.Metadata.CommandId), $"Command {envelope.Metadata.CommandId} applied twice to {id}.");
                (balance, var kind, var transferId) = envelope.Event switch
                {
                    MoneyDeposited d => (balance + d.Amount, null, null),
                    MoneyWithdrawn w => (balance - w.Amount, null, null),
                    TransferSent s => (balance - s.Amount, "sent", s.TransferId),
                    TransferReceived r => (balance + r.Amount, "received", r.TransferId),
                    TransferReturned r => (balance + r.Amount, "returned", r.TransferId),
                    _ => (balance, (string?)null, (string?)null),
                };
                deposits += envelope.Event is MoneyDeposited dep ? dep.Amount : 0;
                withdrawals += envelope.Event is MoneyWithdrawn wd ? wd.Amount : 0;
                inFlight += envelope.Event switch { TransferSent s => s.Amount, TransferReceived r => -r.Amount, TransferReturned r => -r.Amount, _ => 0 };
                if (kind is not null)
                {
                    moves[(transferId!, kind)] = moves.GetValueOrDefault((transferId!, kind)) + 1;
                }

                Assert.True(balance >= 0, $"{id} went below zero at version {recorded.Version}.");
            }

            accounts[id] = (balance, version);
        }

        var (completed, refunded) = (0, 0);
        foreach (var id in transferIds)
        {
            var events = await EventsAsync(store, $"{TransferGrain.StreamName}-{id}");
            var moved = (moves.GetValueOrDefault((id, "sent")), moves.GetValueOrDefault((id, "received")), moves.GetValueOrDefault((id, "returned")));
            var expected = events[^1] switch
            {
                TransferCompleted => (1, 1, 0),
                TransferFailed when events.Any(e => e is TransferCreditRefused) => (1, 0, 1),
                TransferFailed => (0, 0, 0),
                var last => throw new Xunit.Sdk.XunitException($"Transfer {id} has not ended: {last.GetType().Name}."),
            };
            Assert.True(moved == expected, $"Transfer {id} ended {events[^1]}, its accounts show sent/received/returned {moved}.");
            completed += events[^1] is TransferCompleted ? 1 : 0;
            refunded += expected == (1, 0, 1) ? 1 : 0;
        }

        Assert.Equal(0m, inFlight);
        Assert.Equal(deposits - withdrawals, accounts.Values.Sum(a => a.Balance) + inFlight);
        return new TransferLog(accounts, completed, refunded);
    }

    private static async Task<IReadOnlyList<string>> SummaryDifferencesAsync(HttpClient client, TransferLog log)
    {
        var differences = new List<string>();
        foreach (var (id, (balance, version)) in log.Accounts)
        {
            var served = await client.GetFromJsonAsync<JsonElement>($"/api/accounts/{id}");
            var (servedBalance, servedVersion) = (served.GetProperty("balance").GetDecimal(), served.GetProperty("version").GetInt64());
            if (servedBalance != balance || servedVersion != version)
            {
                differences.Add($"{id}: served {servedBalance} at {servedVersion}, the log {balance} at {version}");
            }
        }

        return differences;
    }
}
