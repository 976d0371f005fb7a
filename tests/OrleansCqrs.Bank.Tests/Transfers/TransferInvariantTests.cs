using System.Collections.Concurrent;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Statement;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>
/// Money is conserved across transfers, and every read model says what the log says: on a cluster and store of its
/// own (so every total and count is this test's), concurrent transfers (completed, refused at the debit, refunded
/// after the credit was refused) race deposits and withdrawals; the ledger's totals must balance in every snapshot it
/// answers meanwhile, and afterwards every read model must equal a recomputation from the event log.
/// </summary>
public sealed class TransferInvariantTests : IAsyncLifetime
{
    private const string StoreName = "transfer-invariant";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private TestCluster _cluster = null!;

    private IGrainFactory Grains => _cluster.GrainFactory;

    public async ValueTask InitializeAsync() =>
        _cluster = await ClusterFixture.DeployAsync(StoreName, null, builder => builder.AddSiloBuilderConfigurator<StepHold.Configurator>());

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Balances_plus_money_in_flight_equal_deposits_minus_withdrawals_and_every_read_model_equals_the_log()
    {
        var customers = Enumerable.Range(0, 4).Select(c => $"cust-inv-{c}").ToArray();
        var euro = new List<string>();
        foreach (var customer in customers)
        {
            euro.Add(await OpenAsync(customer, "EUR", 1_000m));
            euro.Add(await OpenAsync(customer, "EUR", 1_000m));
        }

        var dollar = await OpenAsync(customers[0], "USD", 500m);
        var closed = await OpenAsync(customers[1], "EUR", 0m);
        Assert.True((await Grains.GetGrain<IAccountGrain>(closed).Execute(new CloseAccount(), CommandContext.New())).IsAccepted);

        // A transfer held between debit and credit: pending, its money in flight, until released.
        var held = await OpenAsync(customers[2], "EUR", 0m);
        StepHold.Hold(held);
        var heldTransfer = $"tr-held-{Guid.NewGuid():N}";
        var request = await Grains.GetGrain<ITransferGrain>(heldTransfer).Execute(new RequestTransfer(euro[0], held, 50m, "EUR", customers[0]), CommandContext.New());
        Assert.True(request.IsAccepted, request.Rejection?.Message);
        // Another customer's request to move customer 1's money, its debit held: requested, yet nobody's pending transfer.
        StepHold.Hold(euro[2]);
        var intrusion = $"tr-intrusion-{Guid.NewGuid():N}";
        var intruded = await Grains.GetGrain<ITransferGrain>(intrusion).Execute(new RequestTransfer(euro[2], euro[0], 20m, "EUR", customers[0]), CommandContext.New());
        Assert.True(intruded.IsAccepted, intruded.Rejection?.Message);
        var midway = await Eventually.ReturnsAsync(
            () => Queries.GetTotals(0, Wait),
            // The ledger may not have read the euro accounts yet: no EUR line is not the answer awaited.
            read => read.View!.Currencies.GetValueOrDefault("EUR")?.InFlight == 50m,
            Wait,
            "the ledger to show the held transfer's money in flight",
            read => $"{read.View!.Currencies.GetValueOrDefault("EUR")}");
        // Quiet now (the held credit writes nothing): the head is a position every read model can be compared at. The
        // merged totals' own position is the lowest any shard has reached; a shard may be past it.
        var quiet = await ClusterFixture.StoreOf(StoreName).Inner.GetHeadPositionAsync();
        Assert.True(quiet >= midway.Position);
        await AssertMatchesLogAsync(quiet, [.. euro, dollar, closed, held], customers, expectPending: true);
        var portfolio = (await Grains.GetGrain<ICustomerQueries>(0).GetPortfolio(customers[0], quiet, Wait)).View!;
        Assert.Equal([new PendingTransfer(heldTransfer, euro[0], held, 50m, "EUR")], portfolio.PendingTransfers);
        Assert.Empty((await Grains.GetGrain<ICustomerQueries>(0).GetPortfolio(customers[1], quiet, Wait)).View!.PendingTransfers);
        Assert.Empty((await Grains.GetGrain<ICustomerQueries>(0).GetPortfolio(customers[2], quiet, Wait)).View!.PendingTransfers);
        Assert.Equal(2, (await Queries.GetTotals(quiet, Wait)).View!.TransfersRequested);
        StepHold.Release(euro[2]);

        // Sample the totals while transfers and cash race: each answer is the bank at one log position, so it must
        // balance, and (checked after the run) equal what the log implies at that position.
        using var stop = new CancellationTokenSource();
        var snapshots = new List<LogRead<BankTotals>>();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // At least the head of the moment: the shards read on, so the snapshots fall at many positions.
                var read = await Queries.GetTotals(await ClusterFixture.StoreOf(StoreName).Inner.GetHeadPositionAsync(), Wait);
                foreach (var currency in read.View!.Currencies.Values)
                {
                    Assert.True(
                        currency.Balance + currency.InFlight == currency.DepositedAmount - currency.WithdrawnAmount,
                        $"A ledger snapshot does not balance: {currency}");
                }

                snapshots.Add(read);
            }
        });

        var random = new Random(10);
        var transferIds = new ConcurrentBag<string> { heldTransfer, intrusion };
        var work = new List<Task>();
        for (var i = 0; i < 120; i++)
        {
            var (from, to) = (euro[random.Next(euro.Count)], euro[random.Next(euro.Count)]);
            to = (i % 10) switch
            {
                0 => dollar, // credit refused (currency-mismatch): refunded
                1 => closed, // credit refused (account-closed): refunded
                _ => to == from ? euro[(euro.IndexOf(from) + 1) % euro.Count] : to,
            };
            var amount = i % 7 == 0 ? 5_000m : random.Next(1, 20_000) / 100m; // some beyond any balance: refused at the debit
            var id = $"tr-inv-{i}-{Guid.NewGuid():N}";
            transferIds.Add(id);
            work.Add(Task.Run(async () =>
            {
                var result = await Grains.GetGrain<ITransferGrain>(id).Execute(new RequestTransfer(from, to, amount, "EUR", null), CommandContext.New());
                Assert.True(result.IsAccepted, result.Rejection?.Message);
            }));
            if (i % 4 == 0)
            {
                var account = Grains.GetGrain<IAccountGrain>(euro[random.Next(euro.Count)]);
                IAccountCommand cash = i % 8 == 0 ? new WithdrawMoney(random.Next(1, 5_000) / 100m) : new DepositMoney(random.Next(1, 5_000) / 100m);
                work.Add(Task.Run(() => account.Execute(cash, CommandContext.New())));
            }
        }

        await Task.WhenAll(work);
        StepHold.Release(held);
        foreach (var id in transferIds)
        {
            var view = await Grains.GetGrain<ITransferGrain>(id).Get(Wait);
            Assert.True(view is { HasEnded: true }, $"Transfer {id} did not end: {view}");
        }

        await stop.CancelAsync();
        await sampler;
        Assert.True(snapshots.Count > 0, "No ledger snapshot was taken while the transfers ran.");
        var distinct = snapshots.DistinctBy(s => s.Position).ToList();
        foreach (var snapshot in distinct.Where((_, i) => i % Math.Max(1, distinct.Count / 100) == 0))
        {
            var atPosition = await LogFold.ReadAsync(ClusterFixture.StoreOf(StoreName).Inner, snapshot.Position);
            AssertTotalsEqual(atPosition, snapshot.View!, $"the ledger snapshot at position {snapshot.Position}");
        }

        var inFlightSeen = snapshots.Count(s => s.View!.Currencies.Values.Any(c => c.InFlight != 0));

        var head = await ClusterFixture.StoreOf(StoreName).Inner.GetHeadPositionAsync();
        var expected = await AssertMatchesLogAsync(head, [.. euro, dollar, closed, held], customers, expectPending: false);
        Assert.True(expected.Completed > 0 && expected.Failed > 0 && expected.Returned > 0, $"The run should complete, refuse and refund transfers: {expected}");
        Assert.Equal(0m, expected.InFlight("EUR"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{snapshots.Count} balanced ledger snapshots at {distinct.Count} positions, {inFlightSeen} with money in flight; {expected}");
    }

    private IBankQueries Queries => Grains.GetGrain<IBankQueries>(0);

    private Task<string> OpenAsync(string customer, string currency, decimal deposit) => Grains.OpenFundedAsync(customer, deposit, currency);

    /// <summary>Recomputes the bank from the log up to <paramref name="position"/> and compares every read model read at that position.</summary>
    private async Task<LogFold> AssertMatchesLogAsync(long position, IReadOnlyList<string> accounts, IReadOnlyList<string> customers, bool expectPending)
    {
        var log = await LogFold.ReadAsync(ClusterFixture.StoreOf(StoreName).Inner, position);
        foreach (var currency in log.Currencies)
        {
            Assert.Equal(log.Deposited(currency) - log.Withdrawn(currency), log.BalanceOf(currency) + log.InFlight(currency));
        }

        // Ledger totals: at least this position; nothing else writes to this store, so equal.
        var totals = await Queries.GetTotals(position, Wait);
        Assert.False(totals.Stale, "The ledger did not reach the position.");
        AssertTotalsEqual(log, totals.View!, $"the ledger totals at position {position}");
        Assert.Equal(expectPending, log.Pending.Count > 0);

        // Top accounts: the balances the log implies, highest first.
        var top = (await Queries.GetTopAccounts(5, position, Wait)).View!;
        Assert.Equal(
            log.Balances.OrderByDescending(b => b.Value).ThenBy(b => b.Key, StringComparer.Ordinal).Take(5).Select(b => (b.Key, b.Value)),
            top.Select(a => (a.AccountId, a.Balance)));

        foreach (var accountId in accounts)
        {
            var summary = await Grains.GetGrain<IAccountSummaryProjection>(accountId).GetAtPosition(position);
            Assert.Equal(log.Balances[accountId], summary.View!.Balance);

            // The statement's lines are the account's events; they must say what the log says, line for line.
            var page = await Grains.GetGrain<IAccountStatementProjection>(accountId).GetPage(null, 500);
            var lines = page.Entries.Where(e => e.Position <= position).Reverse()
                .Select(e => (e.Kind, e.Amount, e.BalanceAfter, e.CounterpartAccountId, e.TransferId));
            Assert.Equal(log.Statements[accountId], lines);
        }

        foreach (var customer in customers)
        {
            var portfolio = (await Grains.GetGrain<ICustomerQueries>(0).GetPortfolio(customer, position, Wait)).View!;
            Assert.Equal(log.PendingOf(customer), portfolio.PendingTransfers.OrderBy(p => p.TransferId, StringComparer.Ordinal));
            foreach (var summary in portfolio.Accounts)
            {
                Assert.Equal(log.Balances[summary.AccountId], summary.Balance);
            }
        }

        return log;
    }

    private static void AssertTotalsEqual(LogFold log, BankTotals totals, string what)
    {
        Assert.True(log.Currencies.Order().SequenceEqual(totals.Currencies.Keys), $"Currencies of {what}: {string.Join(",", totals.Currencies.Keys)}");
        foreach (var currency in log.Currencies)
        {
            var read = totals.Currencies[currency];
            Assert.True(
                (log.BalanceOf(currency), log.Deposited(currency), log.Withdrawn(currency), log.InFlight(currency))
                    == (read.Balance, read.DepositedAmount, read.WithdrawnAmount, read.InFlight),
                $"{currency} of {what}: log {(log.BalanceOf(currency), log.Deposited(currency), log.Withdrawn(currency), log.InFlight(currency))}, read {read}");
        }

        Assert.True(
            (log.Requested, log.Completed, log.Failed) == (totals.TransfersRequested, totals.TransfersCompleted, totals.TransfersFailed),
            $"Transfer counts of {what}: log {(log.Requested, log.Completed, log.Failed)}, read {(totals.TransfersRequested, totals.TransfersCompleted, totals.TransfersFailed)}");
    }

    /// <summary>The bank as the event log implies it, folded here independently of the read models.</summary>
    private sealed class LogFold
    {
        private readonly Dictionary<string, (string Customer, string Currency)> _accounts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, decimal> _deposited = new(StringComparer.Ordinal);
        private readonly Dictionary<string, decimal> _withdrawn = new(StringComparer.Ordinal);
        private readonly Dictionary<string, decimal> _inFlight = new(StringComparer.Ordinal);

        public Dictionary<string, decimal> Balances { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<(string, decimal, decimal, string?, string?)>> Statements { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (TransferRequested Request, bool Ended)> Transfers { get; } = new(StringComparer.Ordinal);

        public List<string> Pending => [.. Transfers.Where(t => !t.Value.Ended).Select(t => t.Key)];

        public IEnumerable<string> Currencies => _accounts.Values.Select(a => a.Currency).Distinct();

        public long Requested => Transfers.Count;

        public long Completed { get; private set; }

        public long Failed { get; private set; }

        public decimal Returned { get; private set; }

        public decimal Deposited(string currency) => _deposited.GetValueOrDefault(currency);

        public decimal Withdrawn(string currency) => _withdrawn.GetValueOrDefault(currency);

        public decimal InFlight(string currency) => _inFlight.GetValueOrDefault(currency);

        public decimal BalanceOf(string currency) => Balances.Where(b => _accounts[b.Key].Currency == currency).Sum(b => b.Value);

        public IEnumerable<PendingTransfer> PendingOf(string customer) =>
            // A customer's request for another customer's money is refused at the debit: nobody's pending transfer.
            Transfers.Where(t => !t.Value.Ended && _accounts.TryGetValue(t.Value.Request.FromAccountId, out var from) && from.Customer == customer
                    && (t.Value.Request.CustomerId is null || t.Value.Request.CustomerId == customer))
                .OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => new PendingTransfer(t.Key, t.Value.Request.FromAccountId, t.Value.Request.ToAccountId, t.Value.Request.Amount, t.Value.Request.Currency));

        public static async Task<LogFold> ReadAsync(IEventStore store, long upTo)
        {
            var fold = new LogFold();
            for (long after = 0; after < upTo;)
            {
                var page = await store.ReadAllAsync(after, 5000);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var recorded in page.Where(r => r.Position <= upTo))
                {
                    fold.Apply(recorded.StreamId, ClusterFixture.Serializer.Deserialize(recorded).Event);
                }

                after = page[^1].Position;
            }

            return fold;
        }

        private void Apply(string streamId, IDomainEvent domainEvent)
        {
            if (StreamNames.KeyOf(TransferGrain.StreamName, streamId) is { } transferId)
            {
                switch (domainEvent)
                {
                    case TransferRequested e:
                        Transfers[transferId] = (e, false);
                        break;
                    case TransferCompleted:
                        Completed++;
                        Transfers[transferId] = (Transfers[transferId].Request, true);
                        break;
                    case TransferFailed:
                        Failed++;
                        Transfers[transferId] = (Transfers[transferId].Request, true);
                        break;
                }

                return;
            }

            var accountId = StreamNames.KeyOf(AccountGrain.StreamName, streamId)!;
            if (domainEvent is AccountOpened opened)
            {
                _accounts[accountId] = (opened.CustomerId, opened.Currency);
                Balances[accountId] = 0m;
                Statements[accountId] = [];
            }

            var currency = _accounts[accountId].Currency;
            var (kind, amount, change, counterpart, transfer) = domainEvent switch
            {
                AccountOpened => ("opened", 0m, 0m, null, null),
                AccountClosed => ("closed", 0m, 0m, null, null),
                MoneyDeposited e => ("deposit", e.Amount, e.Amount, null, null),
                MoneyWithdrawn e => ("withdrawal", e.Amount, -e.Amount, null, null),
                TransferSent e => ("transfer-out", e.Amount, -e.Amount, e.ToAccountId, e.TransferId),
                TransferReceived e => ("transfer-in", e.Amount, e.Amount, e.FromAccountId, e.TransferId),
                TransferReturned e => ("transfer-refund", e.Amount, e.Amount, (string?)e.ToAccountId, (string?)e.TransferId),
                _ => throw new InvalidOperationException($"Unexpected account event {domainEvent}"),
            };
            switch (domainEvent)
            {
                case MoneyDeposited e:
                    _deposited[currency] = Deposited(currency) + e.Amount;
                    break;
                case MoneyWithdrawn e:
                    _withdrawn[currency] = Withdrawn(currency) + e.Amount;
                    break;
                case TransferSent e:
                    _inFlight[currency] = InFlight(currency) + e.Amount;
                    break;
                case TransferReceived e:
                    _inFlight[currency] = InFlight(currency) - e.Amount;
                    break;
                case TransferReturned e:
                    _inFlight[currency] = InFlight(currency) - e.Amount;
                    Returned += e.Amount;
                    break;
            }

            Balances[accountId] += change;
            Statements[accountId].Add((kind, amount, Balances[accountId], counterpart, transfer));
        }

        public override string ToString() =>
            $"{Requested} transfers requested, {Completed} completed, {Failed} failed, {Returned} returned; in flight {string.Join(", ", _inFlight.Select(f => $"{f.Key} {f.Value}"))}";
    }
}
