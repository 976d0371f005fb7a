using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Transfers;

/// <summary>Every way a transfer request can be turned down, with its stable code.</summary>
public static class TransferRejections
{
    public static Rejection SameAccount { get; } =
        new(RejectionKind.Invalid, "same-account", "A transfer goes to another account than its source.", "toAccountId");

    public static Rejection AlreadyRequested { get; } =
        new(RejectionKind.RuleViolated, "transfer-exists", "A transfer with this id was already requested.");

    public static Rejection OtherCustomer { get; } =
        new(RejectionKind.Forbidden, "other-customer", "A customer requests transfers for itself only.");

    public static Rejection InvalidAccountId(string field) =>
        new(RejectionKind.Invalid, "invalid-account-id", $"An account id has {IdFormat.Rule}.", field);
}
