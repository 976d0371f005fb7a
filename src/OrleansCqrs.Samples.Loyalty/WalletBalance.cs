using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Samples.Loyalty;

/// <summary>
/// The read model of one wallet: its points and how many came in and went out. The totals in and out only grow: past
/// <see cref="int.MaxValue"/> they stay there rather than wrap around (the wallet's own points are bounded by its rules).
/// </summary>
[GenerateSerializer, Immutable, Alias("loyalty.wallet.balance.v1")]
public sealed record WalletBalance(string WalletId, int Points, int Earned, int Redeemed, long Version, DateTimeOffset UpdatedAt)
{
    public static WalletBalance When(WalletBalance balance, long version, IDomainEvent domainEvent, DateTimeOffset at) => domainEvent switch
    {
        PointsEarned e => balance with { Points = balance.Points + e.Points, Earned = Grown(balance.Earned, e.Points), Version = version, UpdatedAt = at },
        PointsRedeemed r => balance with { Points = balance.Points - r.Points, Redeemed = Grown(balance.Redeemed, r.Points), Version = version, UpdatedAt = at },
        _ => balance,
    };

    private static int Grown(int total, int points) => (int)Math.Min((long)total + points, int.MaxValue);
}

[Alias("loyalty.IWalletBalanceProjection")]
public interface IWalletBalanceProjection : IStreamProjection<WalletBalance>;

[ImplicitStreamSubscription(WalletGrain.StreamName)]
public sealed class WalletBalanceProjection(
    [PersistentState("wallet-balance", "projections")] IPersistentState<ProjectionState<WalletBalance>> persisted,
    ProjectionServices services)
    : StreamProjectionGrain<WalletBalance, WalletBalance>(persisted, services), IWalletBalanceProjection
{
    protected override string StreamNamespace => WalletGrain.StreamName;

    protected override WalletBalance Initial => new(this.GetPrimaryKeyString(), 0, 0, 0, 0, DateTimeOffset.MinValue);

    protected override WalletBalance Apply(WalletBalance state, EventEnvelope envelope) =>
        WalletBalance.When(state, envelope.Version, envelope.Event, envelope.Metadata.Timestamp);

    protected override WalletBalance? View(WalletBalance state) => state.Version == 0 ? null : state;
}
