using Orleans.Serialization;

namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>
/// A read model made of rows by key plus a small header (totals, say), saved by what changed: a save writes the
/// header, the checkpoint and only the rows set or removed since the last save, so its cost follows the events, not
/// the size of the model. Rows and header are immutable values (records); the model is changed only through
/// <see cref="Set"/>, <see cref="Remove"/> and <see cref="Header"/>, by the projection's fold, which is deterministic and does
/// no I/O. If a fold throws half-way, every change it made is undone, so a stuck event is never half-applied.
/// </summary>
public abstract class KeyedReadModel<THeader, TRow> : KeyedReadModel
    where THeader : class
    where TRow : class
{
    private readonly Dictionary<string, TRow> _rows = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly List<(string Key, TRow? Before, bool WasChanged)> _undo = [];
    private THeader _header;
    private THeader? _headerBefore;
    private bool _changing;

    protected KeyedReadModel(THeader header) => _header = header;

    public THeader Header
    {
        get => _header;
        protected set
        {
            if (_changing && _headerBefore is null)
            {
                _headerBefore = _header;
            }

            _header = value;
        }
    }

    public IReadOnlyDictionary<string, TRow> Rows => _rows;

    protected void Set(string key, TRow row)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(row);
        var before = _rows.GetValueOrDefault(key);
        Remember(key, before);
        _rows[key] = row;
        _changed.Add(key);
        OnRowChanged(key, before, row);
    }

    protected void Remove(string key)
    {
        if (_rows.TryGetValue(key, out var before))
        {
            Remember(key, before);
            _rows.Remove(key);
            _changed.Add(key);
            OnRowChanged(key, before, null);
        }
    }

    /// <summary>Keeps indexes derived from the rows (not saved: rebuilt as rows load) in step with them.</summary>
    protected virtual void OnRowChanged(string key, TRow? before, TRow? after)
    {
    }

    internal override ModelChanges TakeChanges(Serializer serializer)
    {
        var upserts = new List<ProjectionRow>(_changed.Count);
        var deletes = new List<string>();
        foreach (var key in _changed)
        {
            if (_rows.TryGetValue(key, out var row))
            {
                upserts.Add(new ProjectionRow(key, serializer.SerializeToArray(row)));
            }
            else
            {
                deletes.Add(key);
            }
        }

        _changed.Clear();
        return new ModelChanges(serializer.SerializeToArray(_header), upserts, deletes);
    }

    internal override void MarkChanged(IEnumerable<string> keys) => _changed.UnionWith(keys);

    internal override void Load(Serializer serializer, StoredProjection stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        _header = serializer.Deserialize<THeader>(stored.Header) ?? throw new InvalidOperationException("A saved header read back as null.");
        foreach (var row in stored.Rows)
        {
            var value = serializer.Deserialize<TRow>(row.Data) ?? throw new InvalidOperationException($"Row {row.Key} read back as null.");
            _rows[row.Key] = value;
            OnRowChanged(row.Key, null, value);
        }

        _changed.Clear();
    }

    internal override void BeginChange()
    {
        _undo.Clear();
        _headerBefore = null;
        _changing = true;
    }

    internal override void CommitChange() => _changing = false;

    internal override void RollbackChange()
    {
        _changing = false;
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            var (key, before, wasChanged) = _undo[i];
            var current = _rows.GetValueOrDefault(key);
            if (before is null)
            {
                _rows.Remove(key);
            }
            else
            {
                _rows[key] = before;
            }

            if (!wasChanged)
            {
                _changed.Remove(key);
            }

            OnRowChanged(key, current, before);
        }

        if (_headerBefore is not null)
        {
            _header = _headerBefore;
        }

        _undo.Clear();
    }

    private void Remember(string key, TRow? before)
    {
        if (_changing)
        {
            _undo.Add((key, before, _changed.Contains(key)));
        }
    }
}
