using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// Marten 9 as its users would run the comparison's command: a lightweight session per deposit,
/// <c>FetchForWriting</c> (which reads the stream version with the account), decide, append one event,
/// <c>SaveChangesAsync</c> (which fails on a moved stream version; the deposit is then reloaded and decided again).
/// Each mode has its own schema, created before anything is measured.
/// </summary>
/// <remarks>
/// Tuned as a user tuning for throughput would (<see cref="MartenTuning.Chosen"/>; figures in docs/benchmarks.md):
/// <list type="bullet">
/// <item>Npgsql <c>Max Auto Prepare=16</c> and <c>No Reset On Close=true</c>, the settings OrleansCqrs' own event store
/// runs with. PostgreSQL was the bottleneck, and these halve its CPU per command (from ~1.35 ms to ~0.6-0.7 ms in both
/// modes: parse and plan once per connection, no state reset each time a session returns its connection). Marten's
/// docs describe auto-prepare as a per-deployment choice; their caveats (runtime DDL, skewed tenant ids) do not apply
/// here: the schema is fixed and there is one tenant.</item>
/// <item>Npgsql <c>Maximum Pool Size=64</c>: at 256 callers, 32, 64, 128 and 256 connections were within the noise of
/// each other in short runs, 64 never worse; more connections only queue inside a 2-core server.</item>
/// <item>Append mode: for <see cref="MartenMode.FetchForWriting"/> Marten 9's default, <c>QuickWithServerTimestamps</c>
/// (Marten 8's default, Rich, which computes every event's version and sequence in the client before the inline
/// projection runs, measured 10-30% slower in paired runs); for <see cref="MartenMode.QuickAppend"/> <c>Quick</c>, the
/// documented fast path (one server-side function call per append, no snapshot to write).</item>
/// <item><c>UseIdentityMapForAggregates</c> on (Marten 9's default, stated because it matters): the inline projection
/// applies the new event to the instance FetchForWriting loaded instead of reading the snapshot again.</item>
/// <item>Not used: <c>CacheAggregatesForWriting</c> (Marten 9.26's opt-in cache of inline snapshots). With this
/// immutable aggregate it lost deposits: the snapshots' balances fell behind the acknowledged deposits in every run.</item>
/// <item>Code generation: none to time. Marten 9 has no runtime code generation (its storage is hand-written); the
/// descriptors it builds on first use are built while the accounts are opened, before the 5 s warm-up.</item>
/// <item>Schema: applied once at start, then <c>AutoCreate.None</c>, so no session checks the schema.</item>
/// <item>Off, as not part of this workload: advanced async tracking (no async daemon runs), Npgsql logging (Marten 9's
/// default), OpenTelemetry connection tracking and optional event metadata columns (off by default).</item>
/// </list>
/// </remarks>
public sealed class MartenTarget : ICommandTarget
{
    private const string DepositedType = "money_deposited";
    private const int OpeningsPerSession = 500;
    private const int BalancesPerQuery = 2_000;
    private const int MaxAttempts = 1_000;

    private readonly DocumentStore _store;
    private readonly MartenMode _mode;
    private readonly string _schema;
    private long _conflicts;

    private MartenTarget(DocumentStore store, MartenMode mode, string schema)
    {
        _store = store;
        _mode = mode;
        _schema = schema;
    }

    public string Name => _mode == MartenMode.FetchForWriting ? "marten-fetch-for-writing" : "marten-quick-append";

    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Creates the mode's schema (dropping nothing: use a fresh database) and returns a ready target.</summary>
    public static Task<MartenTarget> StartAsync(string connectionString, MartenMode mode) =>
        StartAsync(connectionString, mode, MartenTuning.Chosen);

    internal static async Task<MartenTarget> StartAsync(string connectionString, MartenMode mode, MartenTuning tuning)
    {
        var pooled = new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = tuning.MaxPoolSize,
            MaxAutoPrepare = tuning.MaxAutoPrepare,
            NoResetOnClose = tuning.NoResetOnClose,
        }.ConnectionString;
        var schema = mode == MartenMode.FetchForWriting ? "marten_fetch_for_writing" : "marten_quick_append";
        var store = DocumentStore.For(options =>
        {
            options.Connection(pooled);
            options.DatabaseSchemaName = schema;
            options.AutoCreateSchemaObjects = AutoCreate.None;
            options.Events.StreamIdentity = StreamIdentity.AsString;
            options.Events.MapEventType<MartenAccountOpened>("account_opened");
            options.Events.MapEventType<MartenMoneyDeposited>(DepositedType);
            options.Events.EnableAdvancedAsyncTracking = false;
            options.Events.UseIdentityMapForAggregates = true;
            if (mode == MartenMode.FetchForWriting)
            {
                // Marten 9's default, named so that a change of default cannot change the benchmark unnoticed.
                options.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
                options.Projections.Snapshot<MartenAccount>(SnapshotLifecycle.Inline);
                if (tuning.CachedAggregates > 0)
                {
                    options.Events.CacheAggregatesForWriting<MartenAccount>(tuning.CachedAggregates);
                }
            }
            else
            {
                options.Events.AppendMode = EventAppendMode.Quick;
            }
        });
        try
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
            return new MartenTarget(store, mode, schema);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public async Task OpenAccountsAsync(IReadOnlyList<string> accountIds, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        // Many streams per session and transaction: one opening per round trip would take minutes for 10,000.
        var perSession = Math.Clamp(parallelism, 1, OpeningsPerSession);
        var inFlight = Math.Clamp(parallelism / perSession, 1, 4);
        await Parallel.ForEachAsync(accountIds.Chunk(perSession), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (batch, cancellation) =>
        {
            await using var session = _store.LightweightSession();
            foreach (var accountId in batch)
            {
                session.Events.StartStream<MartenAccount>(accountId, new MartenAccountOpened($"owner-{accountId}", "EUR"));
            }

            await session.SaveChangesAsync(cancellation);
        });
    }

    public async Task DepositAsync(string accountId, decimal amount)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A deposit must be positive.");
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var session = _store.LightweightSession();
            var stream = await session.Events.FetchForWriting<MartenAccount>(accountId);
            if (stream.Aggregate is null)
            {
                throw new InvalidOperationException($"Account {accountId} does not exist.");
            }

            stream.AppendOne(new MartenMoneyDeposited(amount));
            try
            {
                await session.SaveChangesAsync();
                return;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Another caller appended to this account since the fetch: load it again and decide again.
                Interlocked.Increment(ref _conflicts);
            }
        }
    }

    public async Task<decimal> TotalBalanceAsync(IReadOnlyList<string> accountIds)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        await using var session = _store.QuerySession();
        var total = 0m;
        foreach (var batch in accountIds.Chunk(BalancesPerQuery))
        {
            if (_mode == MartenMode.FetchForWriting)
            {
                // The snapshots the inline projection wrote in the deposits' own transactions.
                var accounts = await session.LoadManyAsync<MartenAccount>(batch);
                total += accounts.Sum(account => account.Balance);
            }
            else
            {
                // No snapshot: every deposit event in the streams, as a live fold of each stream would count them.
                var sums = await session.QueryAsync<decimal>(
                    $"select coalesce(sum((data ->> 'Amount')::numeric), 0) from {_schema}.mt_events where type = ? and stream_id = any(?)",
                    DepositedType,
                    batch);
                total += sums.Single();
            }
        }

        return total;
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
