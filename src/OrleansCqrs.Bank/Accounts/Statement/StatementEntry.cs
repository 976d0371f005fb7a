namespace OrleansCqrs.Bank.Accounts.Statement;

/// <summary>
/// One line of an account statement: what happened, the balance after it, and who did it (<see cref="By"/>: the
/// actor's subject; null for in-cluster callers and older events). A transfer's line (<c>transfer-out</c>,
/// <c>transfer-in</c>, <c>transfer-refund</c>) names the transfer and the account on the other side; other lines
/// leave both null.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.account.statement-entry.v1")]
public sealed record StatementEntry(
    [property: Id(0)] long Version,
    [property: Id(1)] long Position,
    [property: Id(2)] string Kind,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] decimal BalanceAfter,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string? By = null,
    [property: Id(7)] string? CounterpartAccountId = null,
    [property: Id(8)] string? TransferId = null)
{
    public const string TransferOut = "transfer-out";
    public const string TransferIn = "transfer-in";
    public const string TransferRefund = "transfer-refund";
}
