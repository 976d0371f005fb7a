using Orleans.Concurrency;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Processes;

namespace OrleansCqrs.Bank.Transfers;

/// <summary>A transfer between two accounts, keyed by transfer id: requested through <c>Execute</c>, then it runs on its own.</summary>
[Alias("bank.ITransferGrain")]
public interface ITransferGrain : IAggregateGrain<ITransferCommand>, IProcessManager
{
    /// <summary>
    /// The transfer, or null if it was never requested; waits up to <paramref name="waitForEnd"/> (at most
    /// <see cref="TransferGrain.MaxWait"/>) for it to complete or fail. Answered beside the running steps.
    /// </summary>
    [Alias("get"), ReadOnly, AlwaysInterleave]
    Task<TransferView?> Get(TimeSpan waitForEnd);
}
