using Orleans.Concurrency;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>Which generation of the ledger serves reads, and its blue/green rebuilds. One per cluster (key 0).</summary>
[Alias("bank.ILedgerRegistry")]
public interface ILedgerRegistry : IGrainWithIntegerKey
{
    [Alias("active"), ReadOnly]
    Task<int> GetActiveGeneration();

    /// <summary>Starts building a new generation from the whole log, unless one is being built already.</summary>
    [Alias("rebuild")]
    Task<RebuildProgress> StartRebuild();

    /// <summary>The rebuild's progress; the new generation takes over as soon as all its shards reach the target.</summary>
    [Alias("progress")]
    Task<RebuildProgress> GetProgress();
}
