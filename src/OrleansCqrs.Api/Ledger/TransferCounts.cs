namespace OrleansCqrs.Api.Ledger;

/// <summary>Transfers requested, and of those how many completed, failed, or are still running (pending).</summary>
public sealed record TransferCounts(long Requested, long Completed, long Failed, long Pending);
