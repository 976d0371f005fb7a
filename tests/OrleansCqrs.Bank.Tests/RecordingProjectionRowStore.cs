using System.Collections.Concurrent;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Bank.Tests;

/// <summary>A projection row store shared by the test silos (as a database is) that remembers every save.</summary>
public sealed class RecordingProjectionRowStore(IProjectionRowStore inner) : IProjectionRowStore
{
    private readonly ConcurrentQueue<ProjectionSave> _saves = new();

    /// <summary>The saves of one projection, oldest first.</summary>
    public IReadOnlyList<ProjectionSave> SavesOf(string projectionId) => [.. _saves.Where(s => s.ProjectionId == projectionId)];

    public Task<StoredProjection?> LoadAsync(string projectionId, CancellationToken cancellationToken = default) =>
        inner.LoadAsync(projectionId, cancellationToken);

    public async Task<long> SaveAsync(ProjectionSave save, CancellationToken cancellationToken = default)
    {
        var etag = await inner.SaveAsync(save, cancellationToken);
        _saves.Enqueue(save);
        return etag;
    }

    public Task RetireAsync(string projectionId, CancellationToken cancellationToken = default) =>
        inner.RetireAsync(projectionId, cancellationToken);
}
