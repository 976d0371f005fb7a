using System.Collections.Concurrent;
using Orleans.Serialization;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Bank.Tests.Projections;

/// <summary>Counts events per stream of the streams named by its key; its fold throws for streams told to fail.</summary>
public sealed class FlakyLogProjection(ProjectionServices services, IProjectionRowStore rows, Serializer serializer)
    : LogProjectionGrain<FlakyLogProjection.Counts>(services, rows, serializer), IFlakyLogProjection
{
    /// <summary>Streams whose events make the fold throw, for as long as they are in here.</summary>
    public static ConcurrentDictionary<string, bool> Failing { get; } = new(StringComparer.Ordinal);

    protected override Counts CreateModel() => new();

    protected override bool Includes(RecordedEvent recorded) => recorded.StreamId.StartsWith(this.GetPrimaryKeyString(), StringComparison.Ordinal);

    protected override void Apply(Counts model, EventEnvelope envelope) => model.Count(envelope.StreamId, Failing.ContainsKey(envelope.StreamId));

    public Task<LogStatus> GetStatus() => Task.FromResult(Status());

    public Task<LogRead<IReadOnlyDictionary<string, long>>> GetCounts(long minPosition, TimeSpan wait) =>
        ReadAsync<IReadOnlyDictionary<string, long>>(minPosition, wait, (model, _) => model.Rows.ToDictionary(r => r.Key, r => r.Value.Events));

    public sealed class Counts() : KeyedReadModel<CountRow, CountRow>(new CountRow(0))
    {
        public void Count(string streamId, bool fail)
        {
            // Changes first, then throws: the framework must undo them.
            Header = new CountRow(Header.Events + 1);
            Set(streamId, new CountRow((Rows.GetValueOrDefault(streamId)?.Events ?? 0) + 1));
            if (fail)
            {
                throw new InvalidOperationException($"{streamId} is told to fail.");
            }
        }
    }
}
