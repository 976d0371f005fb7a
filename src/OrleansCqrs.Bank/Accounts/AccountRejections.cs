using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Accounts;

/// <summary>Every way an account command can be turned down, with its stable code.</summary>
public static class AccountRejections
{
    public static Rejection NotFound { get; } =
        new(RejectionKind.NotFound, "account-not-found", "There is no such account.");

    public static Rejection OtherCustomer { get; } =
        new(RejectionKind.Forbidden, "other-customer", "A customer opens accounts for itself only.");

    public static Rejection TooManyAccounts(int most) =>
        new(RejectionKind.RuleViolated, "too-many-accounts", $"A customer holds at most {most} accounts.");

    public static Rejection AlreadyOpened { get; } =
        new(RejectionKind.RuleViolated, "account-exists", "An account with this id already exists.");

    public static Rejection Closed { get; } =
        new(RejectionKind.RuleViolated, "account-closed", "The account is closed.");

    public static Rejection InsufficientFunds(decimal balance, decimal amount) =>
        new(RejectionKind.RuleViolated, "insufficient-funds", $"The balance {balance} does not cover a withdrawal of {amount}.");

    public static Rejection BalanceNotZero(decimal balance) =>
        new(RejectionKind.RuleViolated, "balance-not-zero", $"Only an account at zero can be closed; the balance is {balance}.");

    public static Rejection CurrencyMismatch(string? accountCurrency, string currency) =>
        new(RejectionKind.RuleViolated, "currency-mismatch", $"The account holds {accountCurrency}, not {currency}.");

    public static Rejection TransferStepsAreInternal { get; } =
        new(RejectionKind.Forbidden, "transfer-step", "Only a transfer credits or returns money to an account.");

    public static Rejection InvalidAmount(string reason) =>
        new(RejectionKind.Invalid, "invalid-amount", reason, "amount");

    public static Rejection InvalidCurrency(string? currency) =>
        new(RejectionKind.Invalid, "invalid-currency", $"'{currency}' is not an ISO 4217 currency code in use.", "currency");

    public static Rejection InvalidCustomerId { get; } =
        new(RejectionKind.Invalid, "invalid-customer-id", $"A customer id has {Framework.Aggregates.IdFormat.Rule}.", "customerId");
}
