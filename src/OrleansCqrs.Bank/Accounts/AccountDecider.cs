using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Accounts;

/// <summary>The account's command handlers: pure functions from state and command to events or a rejection.</summary>
public static class AccountDecider
{
    public static Decision Decide(AccountState state, IAccountCommand command) => command switch
    {
        OpenAccount open => Open(state, open),
        DepositMoney deposit => Deposit(state, deposit),
        WithdrawMoney withdrawal => Withdraw(state, withdrawal),
        CloseAccount => Close(state),
        SendTransfer send => Send(state, send),
        ReceiveTransfer receive => Receive(state, receive),
        ReturnTransfer returned => Return(state, returned),
        _ => throw new ArgumentException($"An account does not take {command?.GetType().Name ?? "null"}.", nameof(command)),
    };

    public static Decision Open(AccountState state, OpenAccount command)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        if (!Identifiers.IsValid(command.CustomerId))
        {
            return AccountRejections.InvalidCustomerId;
        }

        if (Currencies.Normalize(command.Currency) is not { } currency)
        {
            return AccountRejections.InvalidCurrency(command.Currency);
        }

        return state.Status == AccountStatus.None
            ? Decision.Emit(new AccountOpened(command.CustomerId, currency))
            : AccountRejections.AlreadyOpened;
    }

    public static Decision Deposit(AccountState state, DepositMoney command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return (CheckAmount(command.Amount) ?? CheckOpen(state)) is { } rejection
            ? rejection
            : Decision.Emit(new MoneyDeposited(command.Amount));
    }

    /// <summary>
    /// Takes money out of an open account; or out of a closed one that holds money, which only a transfer's refund can
    /// put there (the account closed at zero while the transfer's debit was in flight, and the destination refused the
    /// credit): paying that out is the only way the customer gets it back.
    /// </summary>
    public static Decision Withdraw(AccountState state, WithdrawMoney command)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        var payingOutRefund = state.Status == AccountStatus.Closed && state.Balance > 0;
        if ((CheckAmount(command.Amount) ?? (payingOutRefund ? null : CheckOpen(state))) is { } rejection)
        {
            return rejection;
        }

        return state.Balance < command.Amount
            ? AccountRejections.InsufficientFunds(state.Balance, command.Amount)
            : Decision.Emit(new MoneyWithdrawn(command.Amount));
    }

    public static Decision Close(AccountState state)
    {
        if (CheckOpen(state) is { } rejection)
        {
            return rejection;
        }

        return state.Balance != 0
            ? AccountRejections.BalanceNotZero(state.Balance)
            : Decision.Emit(new AccountClosed());
    }

    public static Decision Send(AccountState state, SendTransfer command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if ((CheckAmount(command.Amount) ?? CheckOpen(state) ?? CheckCurrency(state, command.Currency)) is { } rejection)
        {
            return rejection;
        }

        return state.Balance < command.Amount
            ? AccountRejections.InsufficientFunds(state.Balance, command.Amount)
            : Decision.Emit(new TransferSent(command.TransferId, command.ToAccountId, command.Amount));
    }

    public static Decision Receive(AccountState state, ReceiveTransfer command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return (CheckAmount(command.Amount) ?? CheckOpen(state) ?? CheckCurrency(state, command.Currency)) is { } rejection
            ? rejection
            : Decision.Emit(new TransferReceived(command.TransferId, command.FromAccountId, command.Amount));
    }

    /// <summary>
    /// Always taken by an account that exists, closed or not: money sent must come back somewhere. A closed account it
    /// comes back to pays it out on withdrawal (<see cref="Withdraw"/>).
    /// </summary>
    public static Decision Return(AccountState state, ReturnTransfer command)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        return state.Status == AccountStatus.None
            ? AccountRejections.NotFound
            : Decision.Emit(new TransferReturned(command.TransferId, command.ToAccountId, command.Amount));
    }

    private static Rejection? CheckCurrency(AccountState state, string currency) =>
        string.Equals(state.Currency, currency, StringComparison.Ordinal) ? null : AccountRejections.CurrencyMismatch(state.Currency, currency);

    private static Rejection? CheckAmount(decimal amount) =>
        Money.Problem(amount) is { } problem ? AccountRejections.InvalidAmount(problem) : null;

    private static Rejection? CheckOpen(AccountState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Status switch
        {
            AccountStatus.None => AccountRejections.NotFound,
            AccountStatus.Closed => AccountRejections.Closed,
            _ => null,
        };
    }
}
