using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>
/// Placed on the silo of the stream's pulling agent, which activates it with the first event: every later event is
/// delivered within that silo.
/// </summary>
[ImplicitStreamSubscription(AccountGrain.StreamName), Orleans.Placement.PreferLocalPlacement]
public sealed class AccountSummaryProjection(
    [PersistentState(AccountSummaryProjection.StateName, BankStorage.Projections)] IPersistentState<ProjectionState<AccountSummaryState>> persisted,
    ProjectionServices services)
    : StreamProjectionGrain<AccountSummaryState, AccountSummary>(persisted, services), IAccountSummaryProjection
{
    public const string StateName = "account-summary";

    protected override string StreamNamespace => AccountGrain.StreamName;

    protected override AccountSummaryState Initial => AccountSummaryState.Empty;

    private string? _accountId;

    // Made once per activation: GetPrimaryKeyString makes a new string each time, and this runs for every event.
    private string AccountId => _accountId ??= this.GetPrimaryKeyString();

    protected override AccountSummaryState Apply(AccountSummaryState state, EventEnvelope envelope) =>
        new(AccountSummary.When(state.Summary, AccountId, envelope.Version, envelope.Event, envelope.Metadata.Timestamp));

    protected override AccountSummary? View(AccountSummaryState state) => state.Summary;
}
