using Orleans.Concurrency;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Accounts;

/// <summary>A bank account, keyed by account id: its commands go through <c>Execute</c>.</summary>
[Alias("bank.IAccountGrain")]
public interface IAccountGrain : IAggregateGrain<IAccountCommand>
{
    /// <summary>The account as its aggregate knows it, or null if it was never opened.</summary>
    [Alias("get"), ReadOnly]
    Task<AccountView?> Get();
}
