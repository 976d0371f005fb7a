namespace OrleansCqrs.Bank.Ledger;

/// <summary>A transfer out of an account that has been requested and has neither completed nor failed yet.</summary>
[GenerateSerializer, Immutable, Alias("bank.ledger.pending-transfer.v1")]
public sealed record PendingTransfer(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string FromAccountId,
    [property: Id(2)] string ToAccountId,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] string Currency);
