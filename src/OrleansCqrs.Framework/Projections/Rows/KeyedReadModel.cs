using Orleans.Serialization;

namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>
/// What a log projection grain needs of its read model, whatever the header and row types: the changes since the
/// last save, loading, and undoing a fold that failed half-way. Derive from <see cref="KeyedReadModel{THeader, TRow}"/>.
/// </summary>
public abstract class KeyedReadModel
{
    private protected KeyedReadModel()
    {
    }

    /// <summary>The header and the rows changed since the last <see cref="TakeChanges"/>, serialized now; the change set is emptied.</summary>
    internal abstract ModelChanges TakeChanges(Serializer serializer);

    /// <summary>Marks keys changed again (their save failed): the next save writes their values as they are then.</summary>
    internal abstract void MarkChanged(IEnumerable<string> keys);

    internal abstract void Load(Serializer serializer, StoredProjection stored);

    internal abstract void BeginChange();

    internal abstract void CommitChange();

    internal abstract void RollbackChange();
}
