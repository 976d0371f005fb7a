namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// On each silo: the versions its projections applied since the last push to the healer, newest per projection. A
/// projection records each applied event here in memory (a dictionary write), so confirming delivery costs the
/// healer one call per silo per push interval instead of one per event.
/// </summary>
public sealed class AppliedProgress
{
    private readonly Lock _lock = new();
    private Dictionary<GrainId, long> _changes = [];

    public void Report(GrainId projection, long version)
    {
        lock (_lock)
        {
            if (!_changes.TryGetValue(projection, out var known) || known < version)
            {
                _changes[projection] = version;
            }
        }
    }

    /// <summary>Everything reported since the last take.</summary>
    public List<AppliedVersion> Take()
    {
        Dictionary<GrainId, long> taken;
        lock (_lock)
        {
            if (_changes.Count == 0)
            {
                return [];
            }

            // Sized for as many as last time: under load it would otherwise grow again from empty every push.
            (taken, _changes) = (_changes, new Dictionary<GrainId, long>(_changes.Count));
        }

        return [.. taken.Select(c => new AppliedVersion(c.Key, c.Value))];
    }

    /// <summary>Puts back a batch the healer did not receive, to go with the next push.</summary>
    public void Restore(IEnumerable<AppliedVersion> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var (projection, version) in batch)
        {
            Report(projection, version);
        }
    }
}
