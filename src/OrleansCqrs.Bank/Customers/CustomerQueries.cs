using Orleans.Concurrency;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Bank.Customers;

/// <summary>
/// Many aggregates into one read: the ledger shards say which accounts a customer holds (as of the position asked
/// for), the account summaries say what each holds, read at that position too.
/// The pending transfers come from the ledger as well, in the same shard read as the account ids: the ledger already
/// reads the global log and knows every account's owner, so keeping each running transfer on its source account's row
/// costs two row updates per transfer and no extra read here. A projection of the transfer streams keyed by customer
/// would need a fan-in (the transfer streams are keyed by transfer id, and an operator's transfer names no customer,
/// so it would also have to learn every account's owner) and a second read per portfolio.
/// </summary>
// Reentrant: a worker holds no state, and a read waiting for a version (up to its wait) must not hold one of the
// few workers per silo while other reads queue behind it.
[StatelessWorker, Reentrant, ReadSide]
public sealed class CustomerQueries : Grain, ICustomerQueries
{
    private readonly ActiveLedger _ledger;

    public CustomerQueries(IGrainFactory grains) => _ledger = new ActiveLedger(grains);

    public async Task<LogRead<CustomerPortfolio>> GetPortfolio(string customerId, long minPosition, TimeSpan wait)
    {
        var shards = await Task.WhenAll((await _ledger.ShardsAsync()).Select(shard => shard.GetCustomerHoldings(customerId, minPosition, wait)));
        var accountIds = shards.SelectMany(s => s.View?.AccountIds ?? []).ToList();
        var (position, stale) = (shards.Min(s => s.Position), shards.Any(s => s.Stale));
        if (accountIds.Count == 0)
        {
            return new LogRead<CustomerPortfolio>(null, position, stale);
        }

        var summaries = await Task.WhenAll(accountIds.Select(id =>
            GrainFactory.GetGrain<IAccountSummaryProjection>(id).GetAtPosition(minPosition)));
        var portfolio = CustomerPortfolio.Of(
            customerId, summaries.Where(s => s.View is not null).Select(s => s.View!), shards.SelectMany(s => s.View?.PendingTransfers ?? []));
        return new LogRead<CustomerPortfolio>(portfolio, position, stale || summaries.Any(s => s.Stale || s.View is null));
    }

    public async Task<LogRead<IReadOnlyList<string>>> GetAccountIds(string customerId, long minPosition, TimeSpan wait)
    {
        var shards = await Task.WhenAll((await _ledger.ShardsAsync()).Select(shard => shard.GetCustomerAccounts(customerId, minPosition, wait)));
        return new LogRead<IReadOnlyList<string>>([.. shards.SelectMany(s => s.View ?? [])], shards.Min(s => s.Position), shards.Any(s => s.Stale));
    }
}
