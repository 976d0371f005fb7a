using JasperFx.Events;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// The account as Marten folds it from its stream: stored as the inline snapshot document in
/// <see cref="MartenMode.FetchForWriting"/>, folded live on every load in <see cref="MartenMode.QuickAppend"/>.
/// Immutable, so Marten's identity map for aggregates (on by default in Marten 9) may hand the fetched instance to the
/// inline projection without a second read.
/// </summary>
public sealed record MartenAccount(string Id, string Owner, string Currency, decimal Balance)
{
    /// <summary>The stream version the snapshot reflects; Marten sets it by convention.</summary>
    public long Version { get; init; }

    public static MartenAccount Create(IEvent<MartenAccountOpened> opened)
    {
        ArgumentNullException.ThrowIfNull(opened);
        return new MartenAccount(opened.StreamKey!, opened.Data.Owner, opened.Data.Currency, 0m);
    }

    public MartenAccount Apply(MartenMoneyDeposited deposited)
    {
        ArgumentNullException.ThrowIfNull(deposited);
        return this with { Balance = Balance + deposited.Amount };
    }
}
