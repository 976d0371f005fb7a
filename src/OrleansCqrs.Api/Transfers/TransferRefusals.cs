using OrleansCqrs.Framework.Aggregates;

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

    /// <summary>Answered 422: the request as a whole cannot be done, whatever happens to either account later.</summary>
    public static Rejection CurrencyMismatch(string sourceCurrency, string destinationCurrency) =>
        new(RejectionKind.RuleViolated, "currency-mismatch", $"The source account holds {sourceCurrency} and the destination {destinationCurrency}: a transfer moves one currency.");

    /// <summary>A transfer that was never requested, and another customer's: the same answer.</summary>
    public static Rejection NotFound { get; } =
        new(RejectionKind.NotFound, "transfer-not-found", "There is no such transfer.");
}
