namespace OrleansCqrs.Bank.Transfers;

/// <summary>What a transfer can be asked to do; its later steps are its own.</summary>
public interface ITransferCommand;

/// <summary>
/// Moves <paramref name="Amount"/> of <paramref name="Currency"/> (the source's) from one account to another, for
/// <paramref name="CustomerId"/>: the source's owner, or null when an operator or a trusted caller asks.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.transfer.request")]
public sealed record RequestTransfer(
    [property: Id(0)] string FromAccountId,
    [property: Id(1)] string ToAccountId,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string? CustomerId) : ITransferCommand;
