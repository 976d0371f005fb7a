using System.Collections.Concurrent;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Publishing;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Publishes through the real stream publisher, except for the aggregates a test holds: their publishes wait until
/// released, like a stream that cannot keep up. Counts the events of a held aggregate handed to it.
/// </summary>
public sealed class GatedEventPublisher(IEventPublisher inner) : IEventPublisher
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    /// <summary>Holds every publish of aggregate <paramref name="key"/> until the returned gate is released.</summary>
    public static Gate Hold(string key) => Gates.GetOrAdd(key, _ => new Gate());

    public async Task PublishAsync(string streamNamespace, string key, IReadOnlyList<EventEnvelope> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (Gates.TryGetValue(key, out var gate))
        {
            gate.Count(events);
            await gate.Released;
        }

        await inner.PublishAsync(streamNamespace, key, events);
    }

    public sealed class Gate
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<IDomainEvent> _handed = new();

        internal Task Released => _released.Task;

        /// <summary>How many events were handed to the publisher.</summary>
        public int Handed => _handed.Count;

        /// <summary>
        /// The events handed to the publisher. Publishing runs behind the answer, so an earlier command's events can
        /// still arrive after the gate was set.
        /// </summary>
        public IReadOnlyList<IDomainEvent> HandedEvents => [.. _handed];

        public void Release() => _released.TrySetResult();

        internal void Count(IReadOnlyList<EventEnvelope> events)
        {
            foreach (var envelope in events)
            {
                _handed.Enqueue(envelope.Event);
            }
        }
    }
}
