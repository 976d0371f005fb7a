using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Accounts;

/// <summary>
/// Placed on the silo whose gateway brought its first command: a front end sends every call for one grain through
/// the same gateway, so commands then arrive where the account lives instead of taking one more hop.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed class AccountGrain(
    [PersistentState("snapshot", BankStorage.Snapshots)] IPersistentState<Snapshot<AccountState>> snapshot,
    AggregateServices services)
    : AggregateGrain<AccountState, IAccountCommand>(snapshot, services), IAccountGrain
{
    public const string StreamName = "bank.account";

    protected override string StreamNamespace => StreamName;

    protected override Decision Decide(AccountState state, IAccountCommand command) => AccountDecider.Decide(state, command);

    protected override Rejection? Authorize(AccountState state, IAccountCommand command, Actor? actor) => AccountAccess.Check(state, command, actor);

    public Task<AccountView?> Get() => Task.FromResult(
        State.Status == AccountStatus.None
            ? null
            : new AccountView(this.GetPrimaryKeyString(), State.CustomerId!, State.Currency!, State.Balance, State.Status, Version));
}
