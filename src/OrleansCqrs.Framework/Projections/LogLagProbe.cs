using System.Text.Json;
using Orleans.Concurrency;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// Measures a log reader's lag from the store itself, so the figure does not depend on the reader answering: one read
/// of at most <see cref="Counted"/> + 1 events after its position. Positions are not dense (they come from transaction
/// ids), so the events are counted, not subtracted.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class LogLagProbe(IEventStore store, TimeProvider time) : Grain, ILogLag
{
    /// <summary>The most events counted: a lag beyond it is reported as "more" (an operator needs its size, not its exact count).</summary>
    public const int Counted = 1_000;

    public async Task<LogLag> Behind(long appliedPosition)
    {
        var unapplied = await store.ReadAllAsync(appliedPosition, Counted + 1);
        var head = Math.Max(await store.GetHeadPositionAsync(), unapplied.Count > 0 ? unapplied[^1].Position : appliedPosition);
        if (unapplied.Count == 0)
        {
            return new LogLag(head, 0, false, TimeSpan.Zero);
        }

        var oldest = JsonSerializer.Deserialize<EventMetadata>(unapplied[0].Metadata, EventJson.Options)?.Timestamp ?? time.GetUtcNow();
        var age = time.GetUtcNow() - oldest;
        return new LogLag(head, Math.Min(unapplied.Count, Counted), unapplied.Count > Counted, age > TimeSpan.Zero ? age : TimeSpan.Zero);
    }

    public Task<long> Head() => store.GetHeadPositionAsync();
}
