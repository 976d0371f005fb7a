namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// One per cluster (key 0): follows the global log and makes sure every event of a watched stream reaches each
/// projection of that stream, asking only those that have not reported it applied within the grace period to catch
/// up from the store.
/// </summary>
[Alias("cqrs.IProjectionHealer")]
public interface IProjectionHealer : IGrainWithIntegerKey
{
    /// <summary>The versions a silo's projections applied since its last report; also what keeps the healer active.</summary>
    [Alias("applied")]
    Task Applied(IReadOnlyList<AppliedVersion> applied);

    [Alias("status")]
    Task<HealerStatus> GetStatus();
}
