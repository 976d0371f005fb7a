using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Customers;

/// <summary>Queries over a customer's accounts, served by stateless workers.</summary>
[Alias("bank.ICustomerQueries")]
public interface ICustomerQueries : IGrainWithIntegerKey
{
    /// <summary>
    /// The customer's portfolio reflecting every event up to global position <paramref name="minPosition"/>, or a
    /// null view if the customer has no account.
    /// </summary>
    [Alias("portfolio")]
    Task<LogRead<CustomerPortfolio>> GetPortfolio(string customerId, long minPosition, TimeSpan wait);

    /// <summary>
    /// The ids of the customer's accounts once the ledger reflects at least <paramref name="minPosition"/>, waiting up
    /// to <paramref name="wait"/>: with the AccountOpened events after that position, a follower knows them all.
    /// </summary>
    [Alias("account-ids")]
    Task<LogRead<IReadOnlyList<string>>> GetAccountIds(string customerId, long minPosition, TimeSpan wait);
}
