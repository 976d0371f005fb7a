namespace OrleansCqrs.Bank.Ledger;

[GenerateSerializer]
public sealed class LedgerRegistryState
{
    [Id(0)] public int ActiveGeneration { get; set; }

    [Id(1)] public int? BuildingGeneration { get; set; }

    [Id(2)] public long TargetPosition { get; set; }

    /// <summary>The generation a rebuild replaced, until its stored rows are deleted.</summary>
    [Id(3)] public int? RetiringGeneration { get; set; }
}
