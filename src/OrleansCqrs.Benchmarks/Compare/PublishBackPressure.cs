namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// How often <see cref="InMemoryAccountGrain"/>s found their stream's queue full and waited for room (a silo
/// singleton): the consumers were behind, and the deposits were slowed to their pace.
/// </summary>
public sealed class PublishBackPressure
{
    private long _waits;

    public long Waits => Interlocked.Read(ref _waits);

    public void Waited() => Interlocked.Increment(ref _waits);
}
