using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>Given events, when a command is decided, then events or a rejection: no Orleans, no store.</summary>
public sealed class AccountSpecs
{
    private static readonly IDomainEvent Opened = new AccountOpened("cust-1", "EUR");

    private static AccountState Given(params IDomainEvent[] events) =>
        events.Aggregate(AccountState.Initial, (state, e) => state.Apply(e));

    private static void ThenEvents(Decision decision, params IDomainEvent[] expected)
    {
        Assert.Null(decision.Rejection);
        Assert.Equal(expected, decision.Events);
    }

    private static void ThenRejected(Decision decision, string code, RejectionKind kind)
    {
        Assert.Empty(decision.Events);
        Assert.Equal((kind, code), (decision.Rejection!.Kind, decision.Rejection.Code));
    }

    [Fact]
    public void Opening_a_new_account_normalises_the_currency_code() =>
        ThenEvents(AccountDecider.Open(Given(), new OpenAccount("cust-1", "eur")), new AccountOpened("cust-1", "EUR"));

    [Fact]
    public void Opening_an_existing_account_is_rejected() =>
        ThenRejected(AccountDecider.Open(Given(Opened), new OpenAccount("cust-1", "EUR")), "account-exists", RejectionKind.RuleViolated);

    [Theory]
    [InlineData("XYZ")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("XAU")]
    [InlineData("")]
    public void Opening_with_a_code_that_is_no_currency_in_use_is_invalid(string currency) =>
        ThenRejected(AccountDecider.Open(Given(), new OpenAccount("cust-1", currency)), "invalid-currency", RejectionKind.Invalid);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    [InlineData("a/b")]
    public void Opening_for_a_malformed_customer_id_is_invalid(string customerId) =>
        ThenRejected(AccountDecider.Open(Given(), new OpenAccount(customerId, "EUR")), "invalid-customer-id", RejectionKind.Invalid);

    [Fact]
    public void A_deposit_adds_to_the_balance()
    {
        ThenEvents(AccountDecider.Deposit(Given(Opened), new DepositMoney(10.25m)), new MoneyDeposited(10.25m));
        Assert.Equal(15.75m, Given(Opened, new MoneyDeposited(10.25m), new MoneyDeposited(5.50m)).Balance);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.001")]
    [InlineData("1000000000.01")]
    public void Amounts_out_of_range_or_finer_than_a_cent_are_invalid(string amount)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        ThenRejected(AccountDecider.Deposit(Given(Opened), new DepositMoney(value)), "invalid-amount", RejectionKind.Invalid);
        ThenRejected(AccountDecider.Withdraw(Given(Opened, new MoneyDeposited(500m)), new WithdrawMoney(value)), "invalid-amount", RejectionKind.Invalid);
    }

    [Fact]
    public void The_largest_amount_and_trailing_zeros_are_accepted()
    {
        ThenEvents(AccountDecider.Deposit(Given(Opened), new DepositMoney(1_000_000_000m)), new MoneyDeposited(1_000_000_000m));
        ThenEvents(AccountDecider.Deposit(Given(Opened), new DepositMoney(1.500m)), new MoneyDeposited(1.500m));
    }

    [Fact]
    public void A_withdrawal_of_exactly_the_balance_is_allowed() =>
        ThenEvents(AccountDecider.Withdraw(Given(Opened, new MoneyDeposited(20m)), new WithdrawMoney(20m)), new MoneyWithdrawn(20m));

    [Fact]
    public void Withdrawal_beyond_balance_is_rejected() =>
        ThenRejected(AccountDecider.Withdraw(Given(Opened, new MoneyDeposited(20m)), new WithdrawMoney(20.01m)), "insufficient-funds", RejectionKind.RuleViolated);

    [Fact]
    public void Commands_on_an_account_never_opened_are_not_found()
    {
        ThenRejected(AccountDecider.Deposit(Given(), new DepositMoney(1m)), "account-not-found", RejectionKind.NotFound);
        ThenRejected(AccountDecider.Withdraw(Given(), new WithdrawMoney(1m)), "account-not-found", RejectionKind.NotFound);
        ThenRejected(AccountDecider.Close(Given()), "account-not-found", RejectionKind.NotFound);
    }

    [Fact]
    public void A_closed_account_rejects_everything()
    {
        var closed = Given(Opened, new AccountClosed());
        ThenRejected(AccountDecider.Deposit(closed, new DepositMoney(1m)), "account-closed", RejectionKind.RuleViolated);
        ThenRejected(AccountDecider.Withdraw(closed, new WithdrawMoney(1m)), "account-closed", RejectionKind.RuleViolated);
        ThenRejected(AccountDecider.Close(closed), "account-closed", RejectionKind.RuleViolated);
        ThenRejected(AccountDecider.Open(closed, new OpenAccount("cust-1", "EUR")), "account-exists", RejectionKind.RuleViolated);
    }

    [Fact]
    public void Closing_is_only_allowed_at_zero_balance()
    {
        ThenRejected(AccountDecider.Close(Given(Opened, new MoneyDeposited(1m))), "balance-not-zero", RejectionKind.RuleViolated);
        ThenEvents(AccountDecider.Close(Given(Opened, new MoneyDeposited(1m), new MoneyWithdrawn(1m))), new AccountClosed());
    }
}
