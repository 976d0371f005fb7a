namespace OrleansCqrs.Bank.Ledger;

/// <summary>What one ledger shard knows of a customer: its account ids (ordinal order) and the transfers out of them still running.</summary>
[GenerateSerializer, Immutable, Alias("bank.ledger.customer-holdings.v1")]
public sealed record CustomerHoldings(
    [property: Id(0)] IReadOnlyList<string> AccountIds,
    [property: Id(1)] IReadOnlyList<PendingTransfer> PendingTransfers);
