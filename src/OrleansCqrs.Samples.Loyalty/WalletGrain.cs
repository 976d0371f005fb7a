using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Samples.Loyalty;

[Alias("loyalty.IWalletGrain")]
public interface IWalletGrain : IAggregateGrain<IWalletCommand>;

/// <summary>A wallet, keyed by its id; its events go to the stream <see cref="StreamName"/>.</summary>
public sealed class WalletGrain([PersistentState("snapshot", "snapshots")] IPersistentState<Snapshot<Wallet>> snapshot, AggregateServices services)
    : AggregateGrain<Wallet, IWalletCommand>(snapshot, services), IWalletGrain
{
    public const string StreamName = "loyalty.wallet";

    protected override string StreamNamespace => StreamName;

    protected override Decision Decide(Wallet state, IWalletCommand command) => Wallet.Decide(state, command);
}
