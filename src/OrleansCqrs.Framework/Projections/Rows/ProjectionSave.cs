namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>
/// One save of a keyed read model: the rows changed since the last save (new values, and keys removed), the header
/// and the checkpoint, written in one transaction, and only if the stored etag is still <see cref="ExpectedEtag"/>
/// (0 for a projection never saved).
/// </summary>
public sealed record ProjectionSave(
    string ProjectionId,
    long ExpectedEtag,
    long Position,
    byte[] Header,
    string? StuckError,
    IReadOnlyList<ProjectionRow> Upserts,
    IReadOnlyList<string> Deletes);
