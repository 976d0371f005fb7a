using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Transfers;

/// <summary>What a transfer can be asked to do; its later steps are its own.</summary>
public interface ITransferCommand;

/// <summary>
/// Moves <paramref name="Amount"/> of <paramref name="Currency"/> (the source's) from one account to another, for
/// <paramref name="CustomerId"/>: the source's owner, or null when an operator or a trusted caller asks. With
/// <paramref name="RefusedUpFront"/>, a front end's check of the read side has already turned the request down: the
/// transfer records that refusal as its answer to this command id, so a retry gets it again even once the facts have
/// moved on (an account opened since under the id that was missing), as a retry of any other refused command does.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.transfer.request")]
public sealed record RequestTransfer(
    [property: Id(0)] string FromAccountId,
    [property: Id(1)] string ToAccountId,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string? CustomerId,
    [property: Id(5)] Rejection? RefusedUpFront = null) : ITransferCommand;
