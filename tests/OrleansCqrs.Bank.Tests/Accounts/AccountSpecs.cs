using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Testing.Deciders;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>Given events, when a command is decided, then events or a rejection: no Orleans, no store.</summary>
public sealed class AccountSpecs
{
    private static readonly IDomainEvent Opened = new AccountOpened("cust-1", "EUR");

    private static DeciderSpec<AccountState> Given(params IDomainEvent[] events) => DeciderSpec<AccountState>.Given(events);

    [Fact]
    public void Opening_a_new_account_normalises_the_currency_code() =>
        Given().When(s => AccountDecider.Open(s, new OpenAccount("cust-1", "eur"))).Then(new AccountOpened("cust-1", "EUR"));

    [Fact]
    public void Opening_an_existing_account_is_rejected() =>
        Given(Opened).When(s => AccountDecider.Open(s, new OpenAccount("cust-1", "EUR"))).ThenRejected("account-exists", RejectionKind.RuleViolated);

    [Theory]
    [InlineData("XYZ")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("XAU")]
    [InlineData("")]
    public void Opening_with_a_code_that_is_no_currency_in_use_is_invalid(string currency) =>
        Given().When(s => AccountDecider.Open(s, new OpenAccount("cust-1", currency))).ThenRejected("invalid-currency", RejectionKind.Invalid);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    [InlineData("a/b")]
    public void Opening_for_a_malformed_customer_id_is_invalid(string customerId) =>
        Given().When(s => AccountDecider.Open(s, new OpenAccount(customerId, "EUR"))).ThenRejected("invalid-customer-id", RejectionKind.Invalid);

    [Fact]
    public void A_deposit_adds_to_the_balance() =>
        Given(Opened, new MoneyDeposited(5.50m))
            .When(s => AccountDecider.Deposit(s, new DepositMoney(10.25m)))
            .Then(new MoneyDeposited(10.25m))
            .ThenState(s => s.Balance == 15.75m, "a balance of 15.75");

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.001")]
    [InlineData("1000000000.01")]
    public void Amounts_out_of_range_or_finer_than_a_cent_are_invalid(string amount)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        Given(Opened).When(s => AccountDecider.Deposit(s, new DepositMoney(value))).ThenRejected("invalid-amount", RejectionKind.Invalid);
        Given(Opened, new MoneyDeposited(500m)).When(s => AccountDecider.Withdraw(s, new WithdrawMoney(value))).ThenRejected("invalid-amount", RejectionKind.Invalid);
    }

    [Fact]
    public void The_largest_amount_and_trailing_zeros_are_accepted()
    {
        Given(Opened).When(s => AccountDecider.Deposit(s, new DepositMoney(1_000_000_000m))).Then(new MoneyDeposited(1_000_000_000m));
        Given(Opened).When(s => AccountDecider.Deposit(s, new DepositMoney(1.500m))).Then(new MoneyDeposited(1.500m));
    }

    [Fact]
    public void A_withdrawal_of_exactly_the_balance_is_allowed() =>
        Given(Opened, new MoneyDeposited(20m)).When(s => AccountDecider.Withdraw(s, new WithdrawMoney(20m))).Then(new MoneyWithdrawn(20m));

    [Fact]
    public void Withdrawal_beyond_balance_is_rejected() =>
        Given(Opened, new MoneyDeposited(20m)).When(s => AccountDecider.Withdraw(s, new WithdrawMoney(20.01m))).ThenRejected("insufficient-funds", RejectionKind.RuleViolated);

    [Fact]
    public void Commands_on_an_account_never_opened_are_not_found()
    {
        Given().When(s => AccountDecider.Deposit(s, new DepositMoney(1m))).ThenRejected("account-not-found", RejectionKind.NotFound);
        Given().When(s => AccountDecider.Withdraw(s, new WithdrawMoney(1m))).ThenRejected("account-not-found", RejectionKind.NotFound);
        Given().When(AccountDecider.Close).ThenRejected("account-not-found", RejectionKind.NotFound);
    }

    [Fact]
    public void A_closed_account_rejects_everything()
    {
        var closed = Given(Opened, new AccountClosed());
        closed.When(s => AccountDecider.Deposit(s, new DepositMoney(1m))).ThenRejected("account-closed", RejectionKind.RuleViolated);
        closed.When(s => AccountDecider.Withdraw(s, new WithdrawMoney(1m))).ThenRejected("account-closed", RejectionKind.RuleViolated);
        closed.When(AccountDecider.Close).ThenRejected("account-closed", RejectionKind.RuleViolated);
        closed.When(s => AccountDecider.Open(s, new OpenAccount("cust-1", "EUR"))).ThenRejected("account-exists", RejectionKind.RuleViolated);
    }

    /// <summary>
    /// Closed at zero while a transfer's debit was in flight, then the destination refused the credit and the money came
    /// back: the customer can take it out, and only it; the account stays closed to everything else.
    /// </summary>
    [Fact]
    public void A_closed_account_pays_out_a_refund_that_came_back_to_it_and_nothing_more()
    {
        var refunded = Given(Opened, new MoneyDeposited(100m), new TransferSent("tr-1", "acc-b", 100m), new AccountClosed(), new TransferReturned("tr-1", "acc-b", 100m));

        refunded.When(s => AccountDecider.Withdraw(s, new WithdrawMoney(100m))).Then(new MoneyWithdrawn(100m));
        refunded.When(s => AccountDecider.Withdraw(s, new WithdrawMoney(100.01m))).ThenRejected("insufficient-funds", RejectionKind.RuleViolated);
        refunded.When(s => AccountDecider.Deposit(s, new DepositMoney(1m))).ThenRejected("account-closed", RejectionKind.RuleViolated);
        refunded.When(s => AccountDecider.Send(s, new SendTransfer("tr-2", "acc-c", 1m, "EUR"))).ThenRejected("account-closed", RejectionKind.RuleViolated);
        refunded.When(s => AccountDecider.Receive(s, new ReceiveTransfer("tr-3", "acc-c", 1m, "EUR"))).ThenRejected("account-closed", RejectionKind.RuleViolated);
        refunded.When(AccountDecider.Close).ThenRejected("account-closed", RejectionKind.RuleViolated);
        Given(Opened, new MoneyDeposited(100m), new TransferSent("tr-1", "acc-b", 100m), new AccountClosed(), new TransferReturned("tr-1", "acc-b", 100m), new MoneyWithdrawn(100m))
            .When(s => AccountDecider.Withdraw(s, new WithdrawMoney(1m))).ThenRejected("account-closed", RejectionKind.RuleViolated);
    }

    [Fact]
    public void Closing_is_only_allowed_at_zero_balance()
    {
        Given(Opened, new MoneyDeposited(1m)).When(AccountDecider.Close).ThenRejected("balance-not-zero", RejectionKind.RuleViolated);
        Given(Opened, new MoneyDeposited(1m), new MoneyWithdrawn(1m)).When(AccountDecider.Close).Then(new AccountClosed());
    }
}
