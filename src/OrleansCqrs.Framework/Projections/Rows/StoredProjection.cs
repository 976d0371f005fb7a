namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>
/// A keyed read model as its last save left it: the global position it reflects, its header, every row, and the
/// etag the next save must present. <see cref="Retired"/>: its owner retired it (a replaced rebuild generation).
/// </summary>
public sealed record StoredProjection(
    long Position,
    byte[] Header,
    string? StuckError,
    long Etag,
    bool Retired,
    IReadOnlyList<ProjectionRow> Rows);
