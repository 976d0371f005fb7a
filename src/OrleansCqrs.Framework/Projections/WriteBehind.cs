namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// Saves a read model's state behind its changes: once <see cref="ProjectionOptions.PersistEvery"/> changes are
/// unsaved, or <see cref="ProjectionOptions.PersistAfter"/> after the last save, never two saves at once.
/// </summary>
/// <param name="save">Writes the current state; false if it failed (nothing is lost: the store has every event).</param>
/// <param name="options">When to save.</param>
internal sealed class WriteBehind(Func<Task<bool>> save, ProjectionOptions options)
{
    private int _unsaved;
    private Task _saving = Task.CompletedTask;
    private DateTime _lastSave = DateTime.UtcNow;

    public void Changed() => _unsaved++;

    public void SaveIfFull()
    {
        if (_unsaved >= options.PersistEvery)
        {
            Start();
        }
    }

    public void SaveIfDue()
    {
        if (_unsaved >= options.PersistEvery || (_unsaved > 0 && DateTime.UtcNow - _lastSave >= options.PersistAfter))
        {
            Start();
        }
    }

    /// <summary>Waits for a save under way, then saves what is still unsaved.</summary>
    public async Task FlushAsync()
    {
        await _saving;
        if (_unsaved > 0)
        {
            _saving = SaveAsync();
            await _saving;
        }
    }

    private void Start()
    {
        if (_saving.IsCompleted)
        {
            _saving = SaveAsync();
        }
    }

    private async Task SaveAsync()
    {
        var saving = _unsaved;
        _lastSave = DateTime.UtcNow;
        if (await save())
        {
            _unsaved -= saving;
        }
    }
}
