namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// A stream projection whose read state gives one view: the domain writes the fold and says which view the state
/// holds (null until the stream's first event); reads with read-your-writes come with it.
/// </summary>
public abstract class StreamProjectionGrain<TState, TView>(IPersistentState<ProjectionState<TState>> persisted, ProjectionServices services)
    : StreamProjectionGrain<TState>(persisted, services), IStreamProjection<TView>
    where TState : class
    where TView : class
{
    /// <summary>The view the state holds, or null while there is none (no event yet).</summary>
    protected abstract TView? View(TState state);

    public Task<ProjectionRead<TView>> Get(long minVersion, TimeSpan wait) =>
        ReadAsync(minVersion, wait, (state, _) => View(state));

    public Task<ProjectionRead<TView>> GetAtPosition(long minPosition) =>
        ReadAtPositionAsync(minPosition, (state, _) => View(state));
}
