namespace OrleansCqrs.Framework.Roles;

/// <summary>The cluster's silos as the membership table has them, each with the role it published.</summary>
[Alias("cqrs.IClusterSilos")]
public interface IClusterSilos : IGrainWithIntegerKey
{
    /// <summary>Every silo not declared dead, and those that died within <paramref name="deadWithin"/>.</summary>
    [Alias("silos")]
    Task<IReadOnlyList<SiloSummary>> GetSilos(TimeSpan deadWithin);
}
