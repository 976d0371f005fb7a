using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Transfers;

/// <summary>The transfer's request handler: a pure function of state, command and the time it is decided at.</summary>
public static class TransferDecider
{
    public static Decision Request(TransferState state, RequestTransfer command, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        if (state.Phase != TransferPhase.None)
        {
            return TransferRejections.AlreadyRequested;
        }

        if (command.RefusedUpFront is { } refused)
        {
            return refused;
        }

        if (!IdFormat.IsValid(command.FromAccountId))
        {
            return TransferRejections.InvalidAccountId("fromAccountId");
        }

        if (!IdFormat.IsValid(command.ToAccountId))
        {
            return TransferRejections.InvalidAccountId("toAccountId");
        }

        if (string.Equals(command.FromAccountId, command.ToAccountId, StringComparison.Ordinal))
        {
            return TransferRejections.SameAccount;
        }

        if (Money.Problem(command.Amount) is { } problem)
        {
            return AccountRejections.InvalidAmount(problem);
        }

        return Currencies.Normalize(command.Currency) is { } currency
            ? Decision.Emit(new TransferRequested(command.FromAccountId, command.ToAccountId, command.Amount, currency, command.CustomerId, at))
            : AccountRejections.InvalidCurrency(command.Currency);
    }
}
