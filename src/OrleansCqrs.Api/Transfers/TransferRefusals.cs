using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;

namespace OrleansCqrs.Api.Transfers;

/// <summary>
/// How the front end turns a transfer down before any grain is asked to move money, from what the read side says
/// (docs/transfers.md); the codes are those the accounts themselves use for the same facts.
/// </summary>
internal static class TransferRefusals
{
    /// <summary>A missing source and another customer's source get this same answer, so account ids cannot be probed.</summary>
    public static Rejection SourceNotFound { get; } =
        new(RejectionKind.NotFound, "account-not-found", "There is no account fromAccountId names.");

    public static Rejection DestinationNotFound { get; } =
        new(RejectionKind.NotFound, "account-not-found", "There is no account toAccountId names.");

    public static Rejection SourceClosed { get; } =
        new(RejectionKind.RuleViolated, "account-closed", "The source account is closed.");

    public static Rejection DestinationClosed { get; } =
        new(RejectionKind.RuleViolated, "account-closed", "The destination account is closed.");

    private const string CurrencyMismatchCode = "currency-mismatch";

    /// <summary>Answered 422 (<see cref="Answer{TSuccess}"/>): the request as a whole cannot be done, whatever happens to either account later.</summary>
    public static Rejection CurrencyMismatch(string sourceCurrency, string destinationCurrency) =>
        new(RejectionKind.RuleViolated, CurrencyMismatchCode, $"The source account holds {sourceCurrency} and the destination {destinationCurrency}: a transfer moves one currency.");

    /// <summary>
    /// The problem a refused transfer request is answered with, first time or replayed: a currency mismatch is a 422
    /// rather than the 409 of a rule an account enforces, since no later state of either account makes it possible.
    /// </summary>
    public static Results<TSuccess, ValidationProblem, ProblemHttpResult> Answer<TSuccess>(Rejection rejection)
        where TSuccess : IResult =>
        rejection.Code == CurrencyMismatchCode
            ? RejectionProblems.ToResult<TSuccess>(rejection, StatusCodes.Status422UnprocessableEntity)
            : RejectionProblems.ToResult<TSuccess>(rejection);

    /// <summary>A transfer that was never requested, and another customer's: the same answer.</summary>
    public static Rejection NotFound { get; } =
        new(RejectionKind.NotFound, "transfer-not-found", "There is no such transfer.");
}
