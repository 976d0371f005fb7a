namespace OrleansCqrs.Bank.Ledger;

/// <summary>An account's place in the ledger: whose it is, its currency and its balance.</summary>
[GenerateSerializer, Immutable, Alias("bank.ledger.account-balance.v1")]
public sealed record AccountBalance(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Currency,
    [property: Id(3)] decimal Balance);
