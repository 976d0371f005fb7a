namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>
/// Where keyed read models keep their rows and checkpoint. A save writes only the rows that changed, with the header
/// and checkpoint, atomically, so a restart resumes from a state that is exactly the log up to the checkpoint.
/// </summary>
public interface IProjectionRowStore
{
    /// <summary>The projection as last saved, every row of it; null if it was never saved.</summary>
    Task<StoredProjection?> LoadAsync(string projectionId, CancellationToken cancellationToken = default);

    /// <summary>Writes one save in one transaction; returns the new etag.</summary>
    /// <exception cref="ProjectionConflictException">The stored etag is not the expected one; nothing was written.</exception>
    Task<long> SaveAsync(ProjectionSave save, CancellationToken cancellationToken = default);

    /// <summary>Deletes every row of the projection and marks it retired, so that later saves of it are refused.</summary>
    Task RetireAsync(string projectionId, CancellationToken cancellationToken = default);
}
