using System.Collections.Immutable;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// Where a rebuild of the ledger stands: the generation serving reads, the one being built (null when none), the log
/// position it must reach before it takes over, and how far each of its shards has read.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.ledger.rebuild-progress.v1")]
public sealed record RebuildProgress(
    [property: Id(0)] int ActiveGeneration,
    [property: Id(1)] int? BuildingGeneration,
    [property: Id(2)] long TargetPosition,
    [property: Id(3)] ImmutableArray<long> ShardPositions)
{
    public bool InProgress => BuildingGeneration is not null;

    /// <summary>Fraction of the log the slowest new shard has read, 0 to 1 (1 when nothing is being built).</summary>
    public double Fraction => !InProgress || TargetPosition == 0 || ShardPositions.IsEmpty
        ? 1
        : Math.Min(1, (double)ShardPositions.Min() / TargetPosition);
}
