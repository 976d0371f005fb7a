using System.Collections.Concurrent;

namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>Projection rows in process memory, for tests and the in-memory mode (lost with the process).</summary>
public sealed class InMemoryProjectionRowStore : IProjectionRowStore
{
    private readonly ConcurrentDictionary<string, Entry> _projections = new(StringComparer.Ordinal);

    public Task<StoredProjection?> LoadAsync(string projectionId, CancellationToken cancellationToken = default)
    {
        if (!_projections.TryGetValue(projectionId, out var entry))
        {
            return Task.FromResult<StoredProjection?>(null);
        }

        lock (entry)
        {
            return Task.FromResult<StoredProjection?>(new StoredProjection(
                entry.Position,
                entry.Header,
                entry.StuckError,
                entry.Etag,
                entry.Retired,
                [.. entry.Rows.Select(row => new ProjectionRow(row.Key, row.Value))]));
        }
    }

    public Task<long> SaveAsync(ProjectionSave save, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(save);
        var entry = _projections.GetOrAdd(save.ProjectionId, _ => new Entry());
        lock (entry)
        {
            if (entry.Etag != save.ExpectedEtag || entry.Retired)
            {
                throw new ProjectionConflictException($"{save.ProjectionId}: expected etag {save.ExpectedEtag}, stored {entry.Etag}{(entry.Retired ? " (retired)" : "")}.");
            }

            foreach (var row in save.Upserts)
            {
                entry.Rows[row.Key] = row.Data;
            }

            foreach (var key in save.Deletes)
            {
                entry.Rows.Remove(key);
            }

            (entry.Position, entry.Header, entry.StuckError) = (save.Position, save.Header, save.StuckError);
            return Task.FromResult(++entry.Etag);
        }
    }

    public Task RetireAsync(string projectionId, CancellationToken cancellationToken = default)
    {
        var entry = _projections.GetOrAdd(projectionId, _ => new Entry());
        lock (entry)
        {
            entry.Rows.Clear();
            (entry.Position, entry.Header, entry.StuckError, entry.Retired) = (0, [], null, true);
        }

        return Task.CompletedTask;
    }

    private sealed class Entry
    {
        public Dictionary<string, byte[]> Rows { get; } = new(StringComparer.Ordinal);

        public long Position { get; set; }

        public byte[] Header { get; set; } = [];

        public string? StuckError { get; set; }

        public long Etag { get; set; }

        public bool Retired { get; set; }
    }
}
