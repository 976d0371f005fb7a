using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Accounts;

/// <summary>
/// Who may do what with an account: its customer, on its own accounts; an operator, on every account. A stranger is
/// told the account does not exist, so that account ids cannot be probed.
/// </summary>
public static class AccountAccess
{
    /// <summary>Whether <paramref name="actor"/> may see or act on an account of <paramref name="owner"/>.</summary>
    public static bool MayUse(Actor actor, string? owner)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsInRole(BankRoles.Operator) || actor.ActsFor(owner);
    }

    /// <summary>The refusal for a command, or null when the actor may send it (a null actor is a trusted in-cluster caller).</summary>
    public static Rejection? Check(AccountState state, IAccountCommand command, Actor? actor)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (actor is not null && command is (ReceiveTransfer or ReturnTransfer))
        {
            // Money enters an account by a transfer only from the transfer itself, a trusted caller inside the cluster.
            return AccountRejections.TransferStepsAreInternal;
        }

        if (actor is null || actor.IsInRole(BankRoles.Operator))
        {
            return null;
        }

        if (command is OpenAccount open)
        {
            return actor.ActsFor(open.CustomerId) ? null : AccountRejections.OtherCustomer;
        }

        // An account that does not exist is refused by the decider with the same answer a stranger gets.
        return state.Status == AccountStatus.None || actor.ActsFor(state.CustomerId) ? null : AccountRejections.NotFound;
    }
}
