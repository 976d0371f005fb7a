namespace OrleansCqrs.Bank.Ledger;

[GenerateSerializer]
public sealed class LedgerRegistryState
{
    [Id(0)] public int ActiveGeneration { get; set; }

    [Id(1)] public int? BuildingGeneration { get; set; }

    [Id(2)] public long TargetPosition { get; set; }

    /// <summary>Read from states saved before <see cref="Retiring"/>, then moved there: a generation to retire.</summary>
    [Id(3)] public int? RetiringGeneration { get; set; }

    /// <summary>
    /// The generations rebuilds replaced, until their stored rows are deleted: several when a rebuild finishes before
    /// the one before it was retired.
    /// </summary>
    [Id(4)] public List<int> Retiring { get; set; } = [];
}
