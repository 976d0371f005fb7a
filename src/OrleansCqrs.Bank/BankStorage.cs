namespace OrleansCqrs.Bank;

/// <summary>The Orleans grain storage providers the bank's grains use; the host configures both.</summary>
public static class BankStorage
{
    /// <summary>Aggregate snapshots.</summary>
    public const string Snapshots = "snapshots";

    /// <summary>Read-model states with their checkpoints.</summary>
    public const string Projections = "projections";
}
