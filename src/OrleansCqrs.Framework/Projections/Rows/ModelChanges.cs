namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>A read model's serialized header and the rows changed since its last save (removed keys apart).</summary>
internal sealed record ModelChanges(byte[] Header, IReadOnlyList<ProjectionRow> Upserts, IReadOnlyList<string> Deletes)
{
    public IEnumerable<string> Keys => Upserts.Select(r => r.Key).Concat(Deletes);
}
