namespace OrleansCqrs.Bank.Accounts;

/// <summary>The account as its aggregate knows it right now (a consistent read of the write model).</summary>
[GenerateSerializer, Immutable, Alias("bank.account.view.v1")]
public sealed record AccountView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Currency,
    [property: Id(3)] decimal Balance,
    [property: Id(4)] AccountStatus Status,
    [property: Id(5)] long Version);
