using OrleansCqrs.Framework.Projections.Healing;

namespace OrleansCqrs.Bank;

/// <summary>
/// The Orleans grain storage providers the bank's grains name in their <c>[PersistentState]</c>; the host configures
/// each storage a grain names (<see cref="Framework.Domains.DomainCatalog.GrainStorages"/>).
/// </summary>
public static class BankStorage
{
    /// <summary>Aggregate snapshots.</summary>
    public const string Snapshots = "snapshots";

    /// <summary>Read-model states with their checkpoints; the framework's projection healer keeps its state there too.</summary>
    public const string Projections = ProjectionHealer.Storage;
}
