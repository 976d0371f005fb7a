using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.EventStore.Sqlite;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// What a ledger shard writes per event, at a given number of accounts in the bank: one shard (a quarter of the
/// accounts) applies deposits to random accounts and saves every 500 events as the log projection grain does (the
/// totals, the checkpoint, the changed rows) through the real row store. "Before" is what the earlier design wrote
/// per save: the whole shard (every account and every customer's account set) serialized as one grain state.
/// </summary>
public static class RowSaveScenario
{
    private const int SaveEvery = 500;

    public static async Task MeasureAsync(string store, IReadOnlyDictionary<string, string?> settings, int runs, BenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(report);
        IProjectionRowStore rows;
        if (settings["OrleansCqrs:Store"] == "Postgres")
        {
            var connectionString = settings["OrleansCqrs:PostgresConnectionString"]!;
            await PostgresProjectionRowStore.MigrateAsync(connectionString);
            rows = new PostgresProjectionRowStore(connectionString);
        }
        else
        {
            var connectionString = $"Data Source={Path.Combine(settings["OrleansCqrs:DataDirectory"]!, "rows.db")}";
            await using var events = new SqliteEventStore(new SqliteEventStoreOptions { ConnectionString = connectionString });
            await events.MigrateAsync();
            rows = new SqliteProjectionRowStore(connectionString);
        }

        foreach (var accounts in (int[])[10_000, 1_000_000])
        {
            for (var run = 1; run <= runs; run++)
            {
                var saved = await RunAsync(rows, accounts, events: 20_000);
                Console.WriteLine($"[{store}] run {run}, {accounts:N0} accounts: {saved.BytesPerEvent:N0} bytes/event (whole-state saves: {saved.WholeStateBytesPerEvent:N0}), save median {saved.SaveMedianMs:0.0} ms");
                report.AddRatio($"{store}.ledger-bytes-per-event-{accounts}", run, saved.BytesPerEvent);
                report.AddRatio($"{store}.ledger-whole-state-bytes-per-event-{accounts}", run, saved.WholeStateBytesPerEvent);
                report.AddRatio($"{store}.ledger-save-ms-{accounts}", run, saved.SaveMedianMs);
            }
        }

        if (rows is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    public static async Task<RowSaveResult> RunAsync(IProjectionRowStore rows, int accounts, int events)
    {
        var serializer = new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(AccountBalance).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();
        var projection = $"bench-ledger-shard/{Guid.NewGuid():N}";
        var model = new LedgerShardState();
        var ids = new List<string>();
        for (var i = 0; ids.Count < accounts / LedgerShards.Count; i++)
        {
            var id = $"acc-{i}";
            if (LedgerShards.Of(id) == 0)
            {
                model.When(id, new AccountOpened($"cust-{i / 3}", "EUR"));
                ids.Add(id);
            }
        }

        // The first save writes every row (all are new), as a shard's first save after reading the log does.
        var first = model.TakeChanges(serializer);
        var etag = await rows.SaveAsync(new ProjectionSave(projection, 0, 0, first.Header, null, first.Upserts, first.Deletes));

        var random = new Random(42);
        long bytes = 0;
        var saveMs = new List<double>();
        for (var position = 1; position <= events; position++)
        {
            model.When(ids[random.Next(ids.Count)], new MoneyDeposited(1.25m));
            if (position % SaveEvery == 0)
            {
                var clock = Stopwatch.StartNew();
                var changes = model.TakeChanges(serializer);
                etag = await rows.SaveAsync(new ProjectionSave(projection, etag, position, changes.Header, null, changes.Upserts, changes.Deletes));
                saveMs.Add(clock.Elapsed.TotalMilliseconds);
                bytes += changes.Header.Length + changes.Upserts.Sum(r => System.Text.Encoding.UTF8.GetByteCount(r.Key) + r.Data.Length);
            }
        }

        // The earlier design's save: the whole shard state as one object (its three parts; the record around them
        // adds a few bytes).
        var balances = model.Rows.ToImmutableDictionary(StringComparer.Ordinal);
        var customers = model.Rows.Values.GroupBy(a => a.CustomerId, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.Select(a => a.AccountId).ToImmutableSortedSet(), StringComparer.Ordinal);
        long whole = serializer.SerializeToArray(model.Totals).Length + serializer.SerializeToArray(balances).Length + serializer.SerializeToArray(customers).Length;

        saveMs.Sort();
        return new RowSaveResult(accounts, events, (double)bytes / events, (double)whole / SaveEvery, saveMs[saveMs.Count / 2]);
    }
}

/// <summary>Bytes written per event by ledger saves now and as the whole state was saved before, and the median save time.</summary>
public sealed record RowSaveResult(int Accounts, int Events, double BytesPerEvent, double WholeStateBytesPerEvent, double SaveMedianMs);
