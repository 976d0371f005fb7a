namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// The knobs a user tuning Marten for throughput would turn (see <see cref="MartenTarget"/> for the figures behind
/// <see cref="Chosen"/>); the other values exist to measure the alternatives again.
/// </summary>
/// <param name="MaxPoolSize">Npgsql's <c>Maximum Pool Size</c>.</param>
/// <param name="MaxAutoPrepare">Npgsql's <c>Max Auto Prepare</c>: statements kept prepared per connection (0: none).</param>
/// <param name="NoResetOnClose">Npgsql's <c>No Reset On Close</c>: no state reset when a session returns its connection.</param>
/// <param name="CachedAggregates">Marten's <c>CacheAggregatesForWriting</c> size for the inline snapshot (0: off).</param>
internal sealed record MartenTuning(int MaxPoolSize, int MaxAutoPrepare, bool NoResetOnClose, int CachedAggregates)
{
    public static MartenTuning Chosen { get; } = new(MaxPoolSize: 64, MaxAutoPrepare: 16, NoResetOnClose: true, CachedAggregates: 0);
}
