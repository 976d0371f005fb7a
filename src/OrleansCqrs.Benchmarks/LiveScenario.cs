using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// The live feed under a write rate the grains cannot produce on this machine: the front end (src/OrleansCqrs.Api,
/// embedded silo, PostgreSQL) follows the log for 100 listeners on real SSE connections over 127.0.0.1, while this
/// process appends deposits straight to the event store at a paced rate: 100 to an account per append into accounts
/// nobody watches, and 500 single deposits a second into watched accounts (what listeners receive, and what the lag
/// is measured on). Listeners watch their own customer (10 accounts of 10,000; the ledger's shards then follow the
/// log too, to tell the feed a customer's accounts), or one account each (the feed alone). Measured: events per
/// second through the feed (appended in the window, over the time until a sentinel appended after it arrived),
/// deliveries per listener, and the lag from an append's acknowledgement to its change arriving at the listener.
/// </summary>
public static class LiveScenario
{
    private const int AccountsPerCustomer = 10;
    private const int Writers = 64;

    // Deposits per append, into one account: the machine cannot commit 20,000 appends a second beside the front end,
    // but the feed's work is per event (and per changed account in a page), not per append.
    private const int EventsPerAppend = 100;
    private const int SampledPerSecond = 500;
    private const int Samplers = 16;

    public static async Task MeasureAsync(PostgresServer server, BenchmarkOptions options, BenchmarkReport report, TimeSpan warmUp, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        for (var run = 1; run <= options.Runs; run++)
        {
            // By customer, the ledger's shards also follow the log (they tell the feed a customer's accounts); by
            // account, the feed is the only reader of the log.
            foreach (var (filter, byCustomer) in new[] { ("customers", true), ("accounts", false) })
            {
                var result = await RunAsync(server, options.Accounts, options.Listeners, options.LiveRate, byCustomer, warmUp, measured);
                Console.WriteLine(string.Create(c, $"[live] run {run}, listeners by {filter}: appended {result.AppendedPerSecond:N0} events/s; feed processed {result.Feed.PerSecond:N0} events/s (drained {result.DrainMs:N0} ms after the window); {result.DeliveriesPerListenerPerSecond:0.00} deliveries/s per listener ({result.Listeners} listeners); ack-to-SSE lag p50 {result.Feed.Latency!.P50Ms:0.0} ms, p99 {result.Feed.Latency.P99Ms:0.0} ms"));
                report.Add($"postgres.live-feed.by-{filter}", run, result.Feed);
                report.AddRatio($"postgres.live-appended.by-{filter}", run, result.AppendedPerSecond);
                report.AddRatio($"postgres.live-deliveries-per-listener.by-{filter}", run, result.DeliveriesPerListenerPerSecond);
                report.AddRatio($"postgres.live-drain-ms.by-{filter}", run, result.DrainMs);
            }
        }
    }

    public static async Task<LiveRun> RunAsync(PostgresServer server, int accounts, int listeners, int rate, bool byCustomer, TimeSpan warmUp, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(server);
        var database = await server.CreateDatabaseAsync("live");
        await using var frontEnd = ServiceProcess.Start("front end", LocalCluster.ProgramPath("OrleansCqrs.Api"), new Dictionary<string, string>
        {
            ["OrleansCqrs__Store"] = "Postgres",
            ["OrleansCqrs__PostgresConnectionString"] = database,
            ["OrleansCqrs__SiloPort"] = $"{Ports.Free()}",
            ["OrleansCqrs__GatewayPort"] = $"{Ports.Free()}",
            ["Logging__LogLevel__Default"] = "Warning",
            [TestTokens.SigningKeyFileVariable] = TestTokens.Shared.KeyFile,
        });
        await frontEnd.WaitUntilReadyAsync(LocalCluster.StartTimeout);
        await using var store = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = database });
        // The samplers' single deposits get a store (and group-commit queue) of their own: behind the bulk appends'
        // queue they would measure this process's backlog, not the feed.
        await using var sampling = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = database });
        var log = new Log(store, sampling, accounts, listeners, byCustomer);
        await log.OpenAccountsAsync();

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = frontEnd.Address, Timeout = Timeout.InfiniteTimeSpan };
        // An operator may listen to any customer's or account's changes.
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.Shared.Operator());
        using var closing = new CancellationTokenSource();
        var window = new LoadWindow();
        var feeds = new List<Listener>();
        for (var i = 0; i < listeners; i++)
        {
            feeds.Add(await Listener.ConnectAsync(client, i, byCustomer, log, window, closing.Token));
        }

        using var stopWriting = new CancellationTokenSource();
        // Bulk writers fill the log through accounts nobody watches; samplers make single deposits into watched
        // accounts, which is what listeners receive and what the lag is measured on.
        var unwatched = Enumerable.Range(0, accounts).Where(i => !log.IsWatched(i)).ToArray();
        var watched = Enumerable.Range(0, accounts).Where(log.IsWatched).ToArray();
        var bulk = Enumerable.Range(0, Writers).Select(w => unwatched.Where((_, i) => i % Writers == w).ToArray())
            .Select(own => Task.Run(() => log.WriteAsync(own, EventsPerAppend, (rate - SampledPerSecond) / (double)Writers, window, stopWriting.Token)));
        var samplers = Enumerable.Range(0, Samplers).Select(w => watched.Where((_, i) => i % Samplers == w).ToArray())
            .Select(own => Task.Run(() => log.WriteAsync(own, 1, SampledPerSecond / (double)Samplers, window, stopWriting.Token)));
        var writing = bulk.Concat(samplers).ToArray();
        await Task.Delay(warmUp);
        window.Measuring = true;
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(measured);
        window.Measuring = false;
        var ended = Stopwatch.GetTimestamp();
        await stopWriting.CancelAsync();
        await Task.WhenAll(writing);

        // Everything appended before the sentinel has been through the feed once the sentinel reaches its listener.
        var sentinel = log.NextDeposit(customer: 0);
        var arrived = feeds[0].WaitForAsync(sentinel, TimeSpan.FromSeconds(60));
        await log.AppendDepositAsync(sentinel.Account, record: false, count: 1);
        await arrived;
        var drained = Stopwatch.GetTimestamp();
        await closing.CancelAsync();
        await Task.WhenAll(feeds.Select(f => f.Reading));

        var windowSeconds = Stopwatch.GetElapsedTime(started, ended).TotalSeconds;
        var appended = log.AppendedInWindow;
        var lag = LatencyRecorder.Summarize(feeds.Select(f => f.Lag()));
        return new LiveRun(
            listeners,
            appended / windowSeconds,
            new ThroughputResult(appended / Stopwatch.GetElapsedTime(started, drained).TotalSeconds, lag),
            Stopwatch.GetElapsedTime(ended, drained).TotalMilliseconds,
            feeds.Sum(f => f.Deliveries) / (double)listeners / windowSeconds);
    }

    private static string AccountId(int index) => $"live-{index:D6}";

    private static string CustomerId(int customer) => $"live-c{customer:D5}";

    /// <summary>The accounts in the store, their versions, and when each watched version's append started.</summary>
    private sealed class Log(PostgresEventStore store, PostgresEventStore sampling, int accounts, int listeners, bool byCustomer)
    {
        private readonly EventSerializer _serializer = new(EventTypeRegistry.FromAssemblies(typeof(AccountOpened).Assembly));
        private readonly long[] _versions = new long[accounts];
        private long _appendedInWindow;

        public ConcurrentDictionary<(int Account, long Version), long> Committed { get; } = new();

        public long AppendedInWindow => Interlocked.Read(ref _appendedInWindow);

        public async Task OpenAccountsAsync()
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, accounts), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (index, cancellationToken) =>
            {
                var opened = _serializer.Serialize(new AccountOpened(CustomerId(index / AccountsPerCustomer), "EUR"), Metadata());
                await store.AppendAsync(new AppendRequest(Stream(index), 0, [opened], Guid.NewGuid()), cancellationToken);
                _versions[index] = 1;
            });
        }

        /// <summary>One writer: deposits into its own accounts, <paramref name="count"/> per append, paced to <paramref name="eventsPerSecond"/>.</summary>
        public async Task WriteAsync(int[] own, int count, double eventsPerSecond, LoadWindow window, CancellationToken stop)
        {
            var random = new Random(own[0]);
            var interval = Stopwatch.Frequency * count / eventsPerSecond;
            var due = (double)Stopwatch.GetTimestamp();
            while (!stop.IsCancellationRequested)
            {
                var measuring = window.Measuring;
                await AppendDepositAsync(own[random.Next(own.Length)], record: measuring, count);
                if (measuring)
                {
                    Interlocked.Add(ref _appendedInWindow, count);
                }

                due += interval;
                var ahead = due - Stopwatch.GetTimestamp();
                if (ahead > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(ahead / Stopwatch.Frequency), CancellationToken.None);
                }
            }
        }

        /// <summary>The next deposit into the first account of <paramref name="customer"/>, once writing has stopped.</summary>
        public (int Account, long Version) NextDeposit(int customer) =>
            (customer * AccountsPerCustomer, _versions[customer * AccountsPerCustomer] + 1);

        public async Task AppendDepositAsync(int index, bool record, int count)
        {
            var version = _versions[index];
            var deposits = Enumerable.Range(0, count).Select(_ => _serializer.Serialize(new MoneyDeposited(1m), Metadata())).ToList();
            await (count == 1 ? sampling : store).AppendAsync(new AppendRequest(Stream(index), version, deposits, Guid.NewGuid()));
            if (record && IsWatched(index))
            {
                // Acknowledged: committed at the latest now (its change may even have arrived already).
                var committed = Stopwatch.GetTimestamp();
                for (var v = version + 1; v <= version + count; v++)
                {
                    Committed[(index, v)] = committed;
                }
            }

            _versions[index] = version + count;
        }

        /// <summary>Listener i watches customer i, or the first account of customer i.</summary>
        public bool IsWatched(int index) =>
            index / AccountsPerCustomer < listeners && (byCustomer || index % AccountsPerCustomer == 0);

        private static string Stream(int index) => StreamNames.StoreStreamId(AccountGrain.StreamName, AccountId(index));

        private static EventMetadata Metadata() => new(Guid.NewGuid(), DateTimeOffset.UtcNow);
    }

    /// <summary>One SSE connection, filtered on its own customer, counting deliveries and their lag.</summary>
    private sealed class Listener
    {
        private readonly Log _log;
        private readonly LoadWindow _window;
        private readonly ConcurrentDictionary<(int, long), TaskCompletionSource> _awaited = new();
        private readonly ConcurrentDictionary<(int Account, long Version), long> _arrived = new();
        private long _deliveries;

        private Listener(Log log, LoadWindow window) => (_log, _window) = (log, window);

        /// <summary>From each acknowledged append to the arrival of its change (zero when the change came first).</summary>
        public LatencyRecorder Lag()
        {
            var lag = new LatencyRecorder();
            foreach (var (change, arrived) in _arrived)
            {
                if (_log.Committed.TryGetValue(change, out var committed))
                {
                    lag.Record(Math.Min(committed, arrived), arrived);
                }
            }

            return lag;
        }

        public long Deliveries => Interlocked.Read(ref _deliveries);

        public Task Reading { get; private set; } = Task.CompletedTask;

        public static async Task<Listener> ConnectAsync(HttpClient client, int customer, bool byCustomer, Log log, LoadWindow window, CancellationToken closing)
        {
            var response = await client.GetAsync(new Uri(byCustomer ? $"/api/live?customerId={CustomerId(customer)}" : $"/api/live?accountId={AccountId(customer * AccountsPerCustomer)}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, closing);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Listening for customer {customer}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(closing)}");
            }

            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(closing));
            if (await reader.ReadLineAsync(closing) != ": connected")
            {
                throw new InvalidOperationException($"Listener {customer} was not connected.");
            }

            var listener = new Listener(log, window);
            listener.Reading = Task.Run(() => listener.ReadAsync(response, reader, closing), CancellationToken.None);
            return listener;
        }

        public async Task WaitForAsync((int Account, long Version) change, TimeSpan timeout) =>
            await _awaited.GetOrAdd(change, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(timeout);

        private async Task ReadAsync(HttpResponseMessage response, StreamReader reader, CancellationToken closing)
        {
            using (response)
            using (reader)
            {
                try
                {
                    while (await reader.ReadLineAsync(closing) is { } line)
                    {
                        if (line.StartsWith("data: ", StringComparison.Ordinal))
                        {
                            Received(line.AsSpan("data: ".Length));
                        }
                    }
                }
                catch (OperationCanceledException) when (closing.IsCancellationRequested)
                {
                    // The run is over.
                }
            }
        }

        private void Received(ReadOnlySpan<char> data)
        {
            using var summary = JsonDocument.Parse(data.ToString());
            var account = int.Parse(summary.RootElement.GetProperty("accountId").GetString()!.AsSpan("live-".Length), CultureInfo.InvariantCulture);
            var version = summary.RootElement.GetProperty("version").GetInt64();
            if (_window.Measuring)
            {
                Interlocked.Increment(ref _deliveries);
                _arrived[(account, version)] = Stopwatch.GetTimestamp();
            }

            if (_awaited.TryGetValue((account, version), out var awaited))
            {
                awaited.TrySetResult();
            }
        }
    }
}

/// <summary>One run of the live scenario.</summary>
public sealed record LiveRun(int Listeners, double AppendedPerSecond, ThroughputResult Feed, double DrainMs, double DeliveriesPerListenerPerSecond);
